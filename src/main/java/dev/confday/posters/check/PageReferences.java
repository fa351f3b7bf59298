package dev.confday.posters.check;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Whether what the page refers to is in the file. A file cut short and "repaired" (say, with
 * an {@code %%EOF} appended) still opens, but the objects after the cut are gone: references
 * to them resolve to nothing, and PDFBox had to rebuild the cross-references from the objects
 * it found. When the file's own cross-references are intact, an object they do not list is
 * absent by design (an exporter's leftover, such as an unused font), not lost. Streams are
 * not decoded; in an encrypted file they are not even read where PDFBox has not read them
 * already (it would decrypt them to scratch space): their cross-reference entry is enough.
 */
final class PageReferences {
  private static final int MAX_RESOURCE_ENTRIES = 10_000;
  private static final List<COSName> RESOURCE_KINDS = List.of(COSName.FONT, COSName.XOBJECT,
      COSName.EXT_G_STATE, COSName.COLORSPACE, COSName.PATTERN, COSName.SHADING,
      COSName.PROPERTIES);
  private static final Set<COSName> STREAM_RESOURCE_KINDS = Set.of(COSName.XOBJECT,
      COSName.PATTERN, COSName.SHADING);

  /** Whether what the page refers to is in the file, or absent by the file's own account. */
  enum Presence {
    /** Everything referred to is in the file. */
    PRESENT,
    /**
     * Some object referred to is not listed by intact cross-references: by the PDF standard
     * (ISO 32000, 7.3.10) a reference to it is a reference to null, and viewers open the file.
     */
    ABSENT,
    /** Some object referred to is missing from a file whose cross-references were rebuilt. */
    LOST;

    Presence and(Presence other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private final boolean encrypted;
  private final boolean crossReferencesIntact;
  private final Map<COSObjectKey, Long> xref;
  private int checked;

  PageReferences(PDDocument document, boolean crossReferencesIntact) {
    this.encrypted = document.isEncrypted();
    this.crossReferencesIntact = crossReferencesIntact;
    this.xref = document.getDocument().getXrefTable();
  }

  /** Whether the content the page names is in the file. */
  Presence contents(COSDictionary page) {
    COSBase contents = page.getItem(COSName.CONTENTS);
    if (contents == null) {
      return Presence.PRESENT; // an empty page
    }
    Presence presence = present(contents, true);
    if (presence != Presence.PRESENT) {
      return presence;
    }
    if (CosValues.resolve(contents) instanceof COSArray array) {
      for (COSBase part : array) {
        if (part instanceof COSNull) {
          return Presence.LOST;
        }
        presence = presence.and(present(part, true));
      }
    }
    return presence;
  }

  /** Whether the entries of the page's resource dictionary are in the file. */
  Presence resources(COSDictionary page) {
    COSBase resourcesItem = PageGeometry.inheritedItem(page, COSName.RESOURCES);
    if (resourcesItem == null) {
      return Presence.PRESENT;
    }
    Presence presence = present(resourcesItem, false);
    if (!(CosValues.resolve(resourcesItem) instanceof COSDictionary resources)) {
      return presence;
    }
    for (COSName kind : RESOURCE_KINDS) {
      COSBase category = resources.getItem(kind);
      if (category == null) {
        continue;
      }
      presence = presence.and(present(category, false));
      if (!(CosValues.resolve(category) instanceof COSDictionary entries)) {
        continue;
      }
      boolean streams = STREAM_RESOURCE_KINDS.contains(kind);
      for (COSName name : entries.keySet()) {
        if (++checked > MAX_RESOURCE_ENTRIES || presence == Presence.LOST) {
          return presence;
        }
        COSBase entry = entries.getItem(name);
        presence = presence.and(present(entry, streams));
        if (entry instanceof COSArray array) {
          // a colour space such as [/ICCBased 12 0 R]: the profile must be there too
          for (COSBase item : array) {
            presence = presence.and(present(item, true));
          }
        }
      }
    }
    return presence;
  }

  private Presence present(COSBase item, boolean mayBeStream) {
    if (!(item instanceof COSObject reference)) {
      return Presence.PRESENT;
    }
    COSObjectKey key = new COSObjectKey(reference.getObjectNumber(),
        reference.getGenerationNumber());
    if (mayBeStream && encrypted && !reference.isDereferenced()) {
      Long offset = xref.get(key);
      if (offset != null && offset != 0) {
        return Presence.PRESENT;
      }
    } else {
      COSBase target = reference.getObject();
      if (target != null && !(target instanceof COSNull)) {
        return Presence.PRESENT;
      }
    }
    return crossReferencesIntact && !xref.containsKey(key) ? Presence.ABSENT : Presence.LOST;
  }
}
