package dev.confday.posters.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.PDEncryption;
import org.apache.pdfbox.pdmodel.encryption.SecurityHandler;

/**
 * Decrypts the streams of a PDF that opens without a password (encrypted with an owner
 * password only), so that its object streams can be measured before PDFBox inflates them.
 *
 * <p>The file key is PDFBox's own: the file's encryption dictionary and ID are copied into a
 * one-object PDF that PDFBox opens with the empty user password, and its standard security
 * handler derives the key (all revisions, RC4 and AES). The per-object key and the ciphers are
 * those of the PDF specification (7.6.3, algorithm 1 and 1.A), exactly as PDFBox's
 * SecurityHandler applies them, but streaming, so nothing is held in memory.
 */
final class StructureDecryption {

  /** The file needs a password to open: nothing can be decrypted. */
  static final class PasswordRequired extends Exception {
    PasswordRequired() {
      super(null, null, false, false);
    }
  }

  private static final byte[] AES_SALT = {0x73, 0x41, 0x6c, 0x54};

  private final byte[] key;
  private final boolean aes;
  private final boolean identity;

  private StructureDecryption(byte[] key, boolean aes, boolean identity) {
    this.key = key;
    this.aes = aes;
    this.identity = identity;
  }

  /**
   * Opens the security handler for an encryption dictionary and an /ID array, both given as
   * the PDF text copied from the file (the ID may be null).
   */
  static StructureDecryption open(byte[] encryptDictionary, byte[] id)
      throws IOException, PasswordRequired {
    byte[] probe = probePdf(encryptDictionary, id);
    try (PDDocument document = Loader.loadPDF(probe, "")) {
      PDEncryption encryption = document.getEncryption();
      if (encryption == null) {
        throw new IOException("no encryption dictionary");
      }
      SecurityHandler<?> handler = encryption.getSecurityHandler();
      byte[] key = handler.getEncryptionKey();
      if (key == null || key.length == 0) {
        throw new IOException("no file key");
      }
      boolean identity = encryption.getVersion() >= 4
          && COSName.IDENTITY.equals(encryption.getStreamFilterName());
      return new StructureDecryption(key, handler.isAES(), identity);
    } catch (org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException e) {
      throw new PasswordRequired();
    }
  }

  /** The plain bytes of a stream of object {@code number} {@code generation}. */
  InputStream decrypt(InputStream encrypted, long number, long generation) throws IOException {
    if (identity) {
      return encrypted;
    }
    try {
      if (aes) {
        byte[] iv = encrypted.readNBytes(16);
        if (iv.length < 16) {
          return InputStream.nullInputStream();
        }
        byte[] objectKey = key.length == 32 ? key : objectKey(number, generation);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(objectKey, "AES"),
            new IvParameterSpec(iv));
        return new CipherInputStream(encrypted, cipher);
      }
      Cipher cipher = Cipher.getInstance("ARCFOUR");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(objectKey(number, generation), "ARCFOUR"));
      return new CipherInputStream(encrypted, cipher);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot decrypt object " + number, e);
    }
  }

  /** Algorithm 1: MD5 of the file key, the object's number and generation (and salt for AES). */
  private byte[] objectKey(long number, long generation) throws GeneralSecurityException {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(key);
    md5.update(new byte[] {
        (byte) number, (byte) (number >> 8), (byte) (number >> 16),
        (byte) generation, (byte) (generation >> 8)});
    if (aes) {
      md5.update(AES_SALT);
    }
    byte[] digest = md5.digest();
    byte[] objectKey = new byte[Math.min(key.length + 5, 16)];
    System.arraycopy(digest, 0, objectKey, 0, objectKey.length);
    return objectKey;
  }

  /** A PDF with an empty page tree, the given encryption dictionary and ID, nothing else. */
  private static byte[] probePdf(byte[] encryptDictionary, byte[] id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] offsets = new long[3];
    write(out, "%PDF-1.7\n");
    offsets[0] = out.size();
    write(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offsets[1] = out.size();
    write(out, "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    offsets[2] = out.size();
    write(out, "3 0 obj\n");
    out.writeBytes(encryptDictionary);
    write(out, "\nendobj\n");
    long xref = out.size();
    StringBuilder table = new StringBuilder("xref\n0 4\n0000000000 65535 f \n");
    for (long offset : offsets) {
      table.append(String.format("%010d 00000 n \n", offset));
    }
    write(out, table.toString());
    write(out, "trailer\n<< /Size 4 /Root 1 0 R /Encrypt 3 0 R");
    if (id != null) {
      write(out, " /ID ");
      out.writeBytes(id);
    }
    write(out, " >>\nstartxref\n" + xref + "\n%%EOF\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
