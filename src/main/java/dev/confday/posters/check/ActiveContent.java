package dev.confday.posters.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;

/**
 * Active content, which a poster never needs: JavaScript (document, page, annotation, bookmark
 * and form-field actions, chained by /Next; XFA), launch actions, embedded, attached and
 * associated (/AF) files, and embedded media (RichMedia, Screen, Movie, Sound and 3D annotations,
 * media actions). Every walk (actions, bookmarks, form fields, name trees) visits each object
 * once and is bounded in steps, whatever the file holds. Empty name trees are no content.
 */
final class ActiveContent {
  private static final int MAX_ANNOTATIONS = 10_000;
  private static final int MAX_ACTIONS = 1_000;
  /** Steps of one action walk (array items and chained actions), so no file can make it endless. */
  private static final int MAX_ACTION_STEPS = 100_000;
  private static final int MAX_FIELDS = 10_000;
  private static final int MAX_NAME_TREE_NODES = 10_000;
  private static final int MAX_OUTLINE_ITEMS = 10_000;
  private static final int MAX_OUTLINE_DEPTH = 256;

  private static final COSName JAVA_SCRIPT = COSName.getPDFName("JavaScript");
  private static final COSName LAUNCH = COSName.getPDFName("Launch");
  private static final COSName GOTO_EMBEDDED = COSName.getPDFName("GoToE");
  private static final COSName XFA = COSName.getPDFName("XFA");
  private static final COSName FILE_ATTACHMENT = COSName.getPDFName("FileAttachment");
  private static final Set<COSName> MEDIA_ANNOTATIONS = Set.of(
      COSName.getPDFName("RichMedia"), COSName.getPDFName("Screen"), COSName.getPDFName("Movie"),
      COSName.getPDFName("Sound"), COSName.getPDFName("3D"));
  private static final Set<COSName> MEDIA_ACTIONS = Set.of(
      COSName.getPDFName("Movie"), COSName.getPDFName("Sound"), COSName.getPDFName("Rendition"),
      COSName.getPDFName("RichMediaExecute"));

  private static final String JAVASCRIPT = "JavaScript";
  private static final String LAUNCHES = "an action that launches programs";
  private static final String ATTACHED = "attached files";
  private static final String MEDIA = "embedded media (video, sound or 3D)";

  private ActiveContent() {
  }

  /**
   * The active content found, by kind, in the order found. Attached files are counted once each
   * (a PDF/A-3 file lists the same file in /AF and in /EmbeddedFiles), and so are launch
   * actions, so that the answer can say "an attached file" or "3 attached files".
   */
  static final class Findings {
    private final Set<String> kinds = new LinkedHashSet<>();
    private final Set<COSBase> attachments = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<COSBase> launches = Collections.newSetFromMap(new IdentityHashMap<>());

    void add(String kind) {
      kinds.add(kind);
    }

    /** An attached file, known by its file specification (or whatever stands for it). */
    void attached(COSBase file) {
      kinds.add(ATTACHED);
      attachments.add(file);
    }

    void launch(COSDictionary action) {
      kinds.add(LAUNCHES);
      launches.add(action);
    }

    boolean isEmpty() {
      return kinds.isEmpty();
    }

    /** "This PDF is not acceptable: it contains ...", singular or plural as the findings are. */
    String refusal() {
      List<String> words = new ArrayList<>();
      boolean plural = kinds.size() > 1;
      for (String kind : kinds) {
        if (kind.equals(ATTACHED)) {
          int files = Math.max(1, attachments.size()); // a GoToE action names no file of its own
          words.add(files == 1 ? "an attached file" : files + " attached files");
          plural |= files > 1;
        } else if (kind.equals(LAUNCHES)) {
          words.add(launches.size() > 1 ? "actions that launch programs" : LAUNCHES);
          plural |= launches.size() > 1;
        } else {
          words.add(kind);
        }
      }
      String list = words.size() == 1 ? words.get(0)
          : String.join(", ", words.subList(0, words.size() - 1)) + " and "
              + words.get(words.size() - 1);
      return "This PDF is not acceptable: it contains " + list + ". A poster "
          + (plural ? "needs none of these" : "does not need it")
          + ": export the poster to PDF again without " + (plural ? "them" : "it")
          + " (for example with \"Print to PDF\").";
    }
  }

  /** What kinds of active content the document and its page carry. */
  static Findings find(COSDictionary catalog, COSDictionary page) {
    Findings found = new Findings();
    Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary names) {
      if (nameTreeHasEntries(names.getDictionaryObject(JAVA_SCRIPT), value -> { })) {
        found.add(JAVASCRIPT);
      }
      nameTreeHasEntries(names.getDictionaryObject(COSName.EMBEDDED_FILES), found::attached);
    }
    associatedFiles(catalog, found);
    action(catalog.getDictionaryObject(COSName.OPEN_ACTION), found, seen);
    additionalActions(catalog, found, seen);
    outline(catalog.getDictionaryObject(COSName.OUTLINES), found, seen);
    if (catalog.getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form) {
      if (form.getDictionaryObject(XFA) != null) {
        found.add(JAVASCRIPT);
      }
      fields(form.getDictionaryObject(COSName.FIELDS), found, seen);
    }
    associatedFiles(page, found);
    additionalActions(page, found, seen);
    if (page.getDictionaryObject(COSName.ANNOTS) instanceof COSArray annotations) {
      int count = Math.min(annotations.size(), MAX_ANNOTATIONS);
      for (int i = 0; i < count; i++) {
        if (annotations.getObject(i) instanceof COSDictionary annotation) {
          COSBase subtype = annotation.getDictionaryObject(COSName.SUBTYPE);
          if (FILE_ATTACHMENT.equals(subtype)) {
            COSBase file = annotation.getDictionaryObject(COSName.FS);
            found.attached(file == null ? annotation : file);
          } else if (subtype instanceof COSName name && MEDIA_ANNOTATIONS.contains(name)) {
            found.add(MEDIA);
          }
          associatedFiles(annotation, found);
          // A widget's actions may sit on the field it belongs to, or on that field's parents.
          COSDictionary node = annotation;
          for (int depth = 0; node != null && depth < PageGeometry.MAX_INHERITANCE_DEPTH; depth++) {
            action(node.getDictionaryObject(COSName.A), found, seen);
            additionalActions(node, found, seen);
            node = node.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent
                ? parent : null;
          }
        }
      }
    }
    return found;
  }

  /**
   * The files associated with the catalog, the page or an annotation (/AF, the PDF/A-3 way of
   * attaching files): each file specification that embeds its file (/EF) is an attached file.
   * One that only names a file outside the PDF carries nothing and passes. The embedded stream
   * itself is never read.
   */
  private static void associatedFiles(COSDictionary owner, Findings found) {
    COSBase files = owner.getDictionaryObject(COSName.AF);
    List<COSBase> specifications = new ArrayList<>();
    if (files instanceof COSArray array) {
      for (int i = 0; i < Math.min(array.size(), MAX_ANNOTATIONS); i++) {
        specifications.add(array.getObject(i));
      }
    } else if (files != null) {
      specifications.add(files);
    }
    for (COSBase specification : specifications) {
      if (specification instanceof COSDictionary file && file.getItem(COSName.EF) != null) {
        found.attached(file);
      }
    }
  }

  /**
   * The bookmarks (/Outlines) and their actions: items are walked through /First (children) and
   * /Next (siblings), at most {@link #MAX_OUTLINE_ITEMS} items and {@link #MAX_OUTLINE_DEPTH}
   * levels deep, each item once however the links loop.
   */
  private static void outline(COSBase root, Findings found, Set<COSDictionary> seen) {
    if (!(root instanceof COSDictionary outlines)) {
      return;
    }
    record Item(COSBase node, int depth) {
    }
    Deque<Item> pending = new ArrayDeque<>();
    pending.push(new Item(outlines.getItem(COSName.FIRST), 1));
    Set<COSDictionary> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty() && visited.size() < MAX_OUTLINE_ITEMS) {
      Item next = pending.pop();
      if (!(CosValues.resolve(next.node()) instanceof COSDictionary item) || !visited.add(item)) {
        continue;
      }
      action(item.getDictionaryObject(COSName.A), found, seen);
      COSBase sibling = item.getItem(COSName.NEXT);
      if (sibling != null) {
        pending.push(new Item(sibling, next.depth()));
      }
      COSBase child = item.getItem(COSName.FIRST);
      if (child != null && next.depth() < MAX_OUTLINE_DEPTH) {
        pending.push(new Item(child, next.depth() + 1));
      }
    }
  }

  /** The form's fields and their kids, bounded and safe against cycles: their actions. */
  private static void fields(COSBase roots, Findings found, Set<COSDictionary> seen) {
    Deque<COSBase> pending = new ArrayDeque<>();
    pending.push(roots);
    Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty() && visited.size() < MAX_FIELDS) {
      COSBase next = CosValues.resolve(pending.pop());
      if (next == null || !visited.add(next)) {
        continue;
      }
      if (next instanceof COSArray array) {
        for (int i = 0; i < array.size() && pending.size() < MAX_ACTION_STEPS; i++) {
          pending.push(array.get(i));
        }
      } else if (next instanceof COSDictionary field) {
        action(field.getDictionaryObject(COSName.A), found, seen);
        additionalActions(field, found, seen);
        COSBase kids = field.getItem(COSName.KIDS);
        if (kids != null) {
          pending.push(kids);
        }
      }
    }
  }

  /**
   * True when a name tree (its root given) has at least one entry; each value found is handed
   * to {@code values}. A tree too large to walk counts as not empty (its root stands for the
   * values not reached).
   */
  private static boolean nameTreeHasEntries(COSBase root, Consumer<COSBase> values) {
    Deque<COSBase> pending = new ArrayDeque<>();
    pending.push(root == null ? COSNull.NULL : root);
    Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean entries = false;
    while (!pending.isEmpty() && visited.size() < MAX_NAME_TREE_NODES) {
      if (!(CosValues.resolve(pending.pop()) instanceof COSDictionary node) || !visited.add(node)) {
        continue;
      }
      if (node.getDictionaryObject(COSName.NAMES) instanceof COSArray names && names.size() >= 2) {
        entries = true;
        for (int i = 1; i < names.size() && i < 2 * MAX_NAME_TREE_NODES; i += 2) {
          COSBase value = CosValues.resolve(names.get(i));
          values.accept(value == null ? node : value);
        }
      }
      // a kids array shared by many nodes is walked once
      if (node.getDictionaryObject(COSName.KIDS) instanceof COSArray kids && visited.add(kids)) {
        for (int i = 0; i < kids.size() && pending.size() < MAX_ACTION_STEPS; i++) {
          pending.push(kids.get(i));
        }
      }
    }
    if (!pending.isEmpty()) {
      values.accept(root); // too large to walk: not an empty tree
      return true;
    }
    return entries;
  }

  private static void additionalActions(COSDictionary owner, Findings found,
      Set<COSDictionary> seen) {
    if (owner.getDictionaryObject(COSName.AA) instanceof COSDictionary actions) {
      for (COSName trigger : actions.keySet()) {
        action(actions.getDictionaryObject(trigger), found, seen);
      }
    }
  }

  /** Follows one action and its /Next chain, bounded and safe against cycles. */
  private static void action(COSBase value, Findings found, Set<COSDictionary> seen) {
    List<COSBase> pending = new ArrayList<>();
    pending.add(value);
    // arrays are visited once too (an array that contains itself would loop forever), and the
    // walk stops after a bounded number of steps whatever the file holds
    Set<COSArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    int steps = 0;
    while (!pending.isEmpty() && seen.size() < MAX_ACTIONS && steps++ < MAX_ACTION_STEPS) {
      COSBase next = CosValues.resolve(pending.remove(pending.size() - 1));
      if (next instanceof COSArray array) {
        if (arrays.add(array)) {
          for (int i = 0; i < array.size() && pending.size() < MAX_ACTION_STEPS; i++) {
            pending.add(array.get(i));
          }
        }
        continue;
      }
      if (!(next instanceof COSDictionary action) || !seen.add(action)) {
        continue;
      }
      COSBase type = action.getDictionaryObject(COSName.S);
      if (JAVA_SCRIPT.equals(type) || action.getDictionaryObject(COSName.JS) != null) {
        found.add(JAVASCRIPT);
      } else if (LAUNCH.equals(type)) {
        found.launch(action);
      } else if (GOTO_EMBEDDED.equals(type)) {
        found.add(ATTACHED);
      } else if (type instanceof COSName name && MEDIA_ACTIONS.contains(name)) {
        found.add(MEDIA);
      }
      COSBase chained = action.getItem(COSName.NEXT);
      if (chained != null) {
        pending.add(chained);
      }
    }
  }
}
