package dev.confday.posters.check;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;

/** Reading a PDFBox value as the rules see it: a reference followed, the null object as null. */
final class CosValues {

  private CosValues() {
  }

  static COSBase resolve(COSBase value) {
    COSBase resolved = value instanceof COSObject object ? object.getObject() : value;
    return resolved instanceof COSNull ? null : resolved;
  }
}
