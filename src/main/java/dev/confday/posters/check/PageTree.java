package dev.confday.posters.check;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;

/**
 * The leaves of the page tree, walked in document order without PDFBox's iterator so that a
 * loop or a missing kid counts as damage rather than as extra pages; stops counting at
 * {@link #MAX_PAGES_COUNTED}.
 */
record PageTree(COSDictionary first, int pages, boolean broken) {
  /** Pages are counted up to this many; a file with more is answered "more than" it. */
  static final int MAX_PAGES_COUNTED = 100_000;

  static PageTree scan(COSDictionary root) {
    Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<COSDictionary> pending = new ArrayDeque<>();
    pending.push(root);
    COSDictionary first = null;
    int pages = 0;
    while (!pending.isEmpty() && pages < MAX_PAGES_COUNTED) {
      COSDictionary node = pending.pop();
      if (!seen.add(node)) {
        return new PageTree(null, pages, true);
      }
      COSBase kids = node.getDictionaryObject(COSName.KIDS);
      if (COSName.PAGE.equals(node.getDictionaryObject(COSName.TYPE))
          || !(kids instanceof COSArray)) {
        first = first == null ? node : first;
        pages++;
        continue;
      }
      COSArray array = (COSArray) kids;
      for (int i = array.size() - 1; i >= 0; i--) {
        if (!(array.getObject(i) instanceof COSDictionary kid)) {
          return new PageTree(null, pages, true);
        }
        pending.push(kid);
      }
    }
    return new PageTree(first, pages, false);
  }
}
