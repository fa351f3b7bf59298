// Over 400 lines on purpose: the lexer follows PDFBox 3's BaseParser rule for rule, in one place, so the two read side by side.
package dev.confday.posters.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough PDF syntax to find the dictionary of an object and what follows it, read the way
 * PDFBox 3's {@code BaseParser} reads it: the same lenient string, name, array and dictionary
 * rules (its recovery from junk in a dictionary, its early end of unbalanced strings), so that
 * what {@link StructureStreams} sees at an offset is what PDFBox will see there. It builds no
 * objects: a dictionary keeps its top-level entries (arrays their first elements) and whether a
 * structure name appears anywhere inside it.
 *
 * <p>Every byte read is charged to a {@link Work} budget, which also carries the deadline.
 */
final class PdfSyntax {

  private PdfSyntax() {
  }

  /** Thrown where PDFBox would throw: the object cannot be parsed, so PDFBox decodes nothing of it. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  enum Kind { DICT, ARRAY, STRING, NAME, INTEGER, REAL, BOOLEAN, NULL, REFERENCE, REF_MARKER, NONE }

  /** A parsed value; only what the structure check needs is kept. */
  static final class Value {
    static final Value NONE = new Value(Kind.NONE);
    static final Value NULL = new Value(Kind.NULL);
    static final Value REF_MARKER = new Value(Kind.REF_MARKER);
    static final Value BOOLEAN = new Value(Kind.BOOLEAN);
    static final Value STRING = new Value(Kind.STRING);

    final Kind kind;
    String name;
    long number;
    long generation;
    Dict dict;
    List<Value> items;
    boolean structureName;
    long start;
    long end;

    Value(Kind kind) {
      this.kind = kind;
    }

    boolean isInteger() {
      return kind == Kind.INTEGER;
    }
  }

  /** A dictionary: its top-level entries, its extent in the file, structure names anywhere. */
  static final class Dict {
    final Map<String, Value> entries = new HashMap<>();
    int count;
    long start;
    long end;
    boolean structureName;

    Value get(String key) {
      return entries.get(key);
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    String nameOf(String key) {
      Value value = entries.get(key);
      return value != null && value.kind == Kind.NAME ? value.name : null;
    }

    long integer(String key, long fallback) {
      Value value = entries.get(key);
      return value != null && value.isInteger() ? value.number : fallback;
    }
  }

  /** A cursor over the file that parses like PDFBox. */
  static final class Lexer {
    private static final int MAX_DEPTH = 256;
    private static final int MAX_KEPT_ITEMS = 16;
    /** Longest array (and largest dictionary) accepted anywhere in the structure. */
    static final int MAX_ARRAY_ITEMS = 50_000;
    private static final int MAX_KEPT_CHARS = 256;

    private final FileBytes in;
    private final StructureStreams.Work work;
    long pos;
    private int depth;

    Lexer(FileBytes in, StructureStreams.Work work) {
      this.in = in;
      this.work = work;
    }

    int read() throws IOException {
      work.spend(1);
      int c = in.at(pos);
      if (c >= 0) {
        pos++;
      }
      return c;
    }

    int peek() throws IOException {
      return in.at(pos);
    }

    void rewind(int bytes) {
      pos -= bytes;
    }

    /** White space and comments, as PDFBox's skipSpaces. */
    void skipSpaces() throws IOException {
      int c = read();
      while (isWhitespace(c) || c == '%') {
        if (c == '%') {
          c = read();
          while (!isEol(c) && c != -1) {
            c = read();
          }
        } else {
          c = read();
        }
      }
      if (c != -1) {
        rewind(1);
      }
    }

    /** After the {@code stream} keyword: spaces, then one CR, LF or CR LF (PDFBox's skipWhiteSpaces). */
    void skipStreamEol() throws IOException {
      int c = read();
      while (c == ' ') {
        c = read();
      }
      if (c == '\r') {
        c = read();
        if (c != '\n') {
          rewind(1);
        }
      } else if (c != '\n') {
        rewind(1);
      }
    }

    /** A token up to the next delimiter or white space, as PDFBox's readString. */
    String readString() throws IOException {
      skipSpaces();
      StringBuilder out = new StringBuilder();
      int c = read();
      while (!isEndOfName(c)) {
        if (out.length() < MAX_KEPT_CHARS) {
          out.append((char) c);
        }
        c = read();
      }
      if (c != -1) {
        rewind(1);
      }
      return out.toString();
    }

    /** A non-negative integer, as PDFBox's readLong; -1 if there is none. */
    long readUnsigned() throws IOException {
      skipSpaces();
      long value = 0;
      int digits = 0;
      int c = read();
      while (c >= '0' && c <= '9') {
        if (digits++ < 18) {
          value = value * 10 + (c - '0');
        }
        c = read();
      }
      if (c != -1) {
        rewind(1);
      }
      return digits == 0 || digits > 18 ? -1 : value;
    }

    Value parseDirObject() throws IOException, Malformed {
      skipSpaces();
      int c = peek();
      switch (c) {
        case '<': {
          read();
          int next = peek();
          rewind(1);
          return next == '<' ? parseDictionary() : parseString();
        }
        case '[':
          return parseArray();
        case '(':
          return parseString();
        case '/':
          return parseName();
        case 'n':
          expect("null");
          return Value.NULL;
        case 't':
          expect("true");
          return Value.BOOLEAN;
        case 'f':
          expect("false");
          return Value.BOOLEAN;
        case 'R':
          read();
          return Value.REF_MARKER;
        case -1:
          return Value.NONE;
        default:
          if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            return parseNumber();
          }
          String bad = readString();
          if (bad.isEmpty()) {
            throw new Malformed("unknown object");
          }
          if (bad.equals("endobj") || bad.equals("endstream")) {
            rewind(bad.length());
            return Value.NONE;
          }
          return Value.NULL;
      }
    }

    Value parseDictionary() throws IOException, Malformed {
      enter();
      try {
        Dict dict = new Dict();
        dict.start = pos;
        expectChar('<');
        expectChar('<');
        skipSpaces();
        while (true) {
          skipSpaces();
          int c = peek();
          if (c == '>') {
            break;
          } else if (c == '/') {
            Value key = parseName();
            Value value = parseDictionaryValue();
            skipSpaces();
            if (value.kind == Kind.NONE) {
              return finish(dict);
            }
            dict.structureName |= carriesStructureName(value);
            if (++dict.count > MAX_ARRAY_ITEMS) {
              // as for arrays: PDFBox would hold every entry, and so would this scan
              throw new StructureStreams.Refusal(StructureStreams.Outcome.TOO_COMPLEX);
            }
            dict.entries.put(key.name, value);
          } else if (readUntilEndOfDictionary()) {
            return finish(dict);
          }
        }
        if (read() == '>') {
          read();
        }
        return finish(dict);
      } finally {
        depth--;
      }
    }

    private Value finish(Dict dict) {
      dict.end = pos;
      Value value = new Value(Kind.DICT);
      value.dict = dict;
      value.start = dict.start;
      value.end = dict.end;
      return value;
    }

    private Value parseDictionaryValue() throws IOException, Malformed {
      Value value = parseDirObject();
      skipSpaces();
      if (!(value.kind == Kind.INTEGER || value.kind == Kind.REAL) || !isDigit(peek())) {
        return value;
      }
      Value generation = parseDirObject();
      skipSpaces();
      expectChar('R');
      if (!value.isInteger() || !generation.isInteger() || value.number <= 0
          || generation.number < 0) {
        return Value.NULL;
      }
      Value reference = new Value(Kind.REFERENCE);
      reference.number = value.number;
      reference.generation = generation.number;
      return reference;
    }

    /** PDFBox's recovery from junk inside a dictionary: on to the next '/' or '>', or give up. */
    private boolean readUntilEndOfDictionary() throws IOException {
      int c = read();
      while (c != -1 && c != '/' && c != '>') {
        if (c == 'e') {
          c = read();
          if (c == 'n') {
            c = read();
            if (c == 'd') {
              c = read();
              boolean isStream = c == 's' && read() == 't' && read() == 'r' && read() == 'e'
                  && read() == 'a' && read() == 'm';
              boolean isObj = !isStream && c == 'o' && read() == 'b' && read() == 'j';
              if (isStream || isObj) {
                return true;
              }
            }
          }
        }
        c = read();
      }
      if (c == -1) {
        return true;
      }
      rewind(1);
      return false;
    }

    Value parseArray() throws IOException, Malformed {
      enter();
      try {
        Value array = new Value(Kind.ARRAY);
        array.start = pos;
        array.items = new ArrayList<>();
        boolean structureName = false;
        int count = 0;
        Value last = null;
        Value beforeLast = null;
        expectChar('[');
        skipSpaces();
        int i;
        while ((i = peek()) > 0 && i != ']') {
          Value item = parseDirObject();
          if (item.kind == Kind.REF_MARKER) {
            item = null;
            if (count > 1 && last != null && last.isInteger()) {
              Value generation = last;
              count = drop(array, count);
              if (count > 0 && beforeLast != null && beforeLast.isInteger()) {
                Value number = beforeLast;
                count = drop(array, count);
                if (number.number >= 0 && generation.number >= 0) {
                  item = new Value(Kind.REFERENCE);
                  item.number = number.number;
                  item.generation = generation.number;
                }
              }
              last = null;
              beforeLast = null;
            }
          }
          if (item == null || item.kind == Kind.NONE) {
            String end = readString();
            if (end.isEmpty() && peek() == '[') {
              break;
            }
            rewind(end.length());
            if (end.equals("endobj") || end.equals("endstream")) {
              break;
            }
          } else {
            structureName |= carriesStructureName(item);
            if (count < MAX_KEPT_ITEMS) {
              array.items.add(item);
            }
            if (++count > MAX_ARRAY_ITEMS) {
              // PDFBox holds every item (about 20 bytes of heap per byte of file) and its page
              // tree repair removes bad kids one by one, in quadratic time without reading: a
              // poster has no array anywhere near this long
              throw new StructureStreams.Refusal(StructureStreams.Outcome.TOO_COMPLEX);
            }
            beforeLast = last;
            last = item;
          }
          skipSpaces();
        }
        if (peek() == ']') {
          read();
          skipSpaces();
        }
        array.end = pos;
        array.structureName = structureName;
        return array;
      } finally {
        depth--;
      }
    }

    private static int drop(Value array, int count) {
      if (count <= array.items.size()) {
        array.items.remove(array.items.size() - 1);
      }
      return count - 1;
    }

    Value parseString() throws IOException, Malformed {
      long start = pos;
      int first = read();
      if (first == '<') {
        skipHexString();
      } else if (first != '(') {
        throw new Malformed("not a string");
      } else {
        skipLiteralString();
      }
      Value value = new Value(Kind.STRING);
      value.start = start;
      value.end = pos;
      return value;
    }

    private void skipHexString() throws IOException, Malformed {
      while (true) {
        int c = read();
        if (isHexDigit(c)) {
          continue;
        }
        if (c == '>') {
          return;
        }
        if (c < 0) {
          throw new Malformed("hex string without end");
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
          continue;
        }
        do {
          c = read();
        } while (c != '>' && c >= 0);
        if (c < 0) {
          throw new Malformed("hex string without end");
        }
        return;
      }
    }

    private void skipLiteralString() throws IOException {
      int braces = 1;
      int c = read();
      while (braces > 0 && c != -1) {
        int next = -2;
        if (c == ')') {
          braces--;
          braces = checkForEndOfString(braces);
        } else if (c == '(') {
          braces++;
        } else if (c == '\\') {
          int escaped = read();
          if (escaped == ')') {
            braces = checkForEndOfString(braces);
          } else if (escaped == '\n' || escaped == '\r') {
            c = read();
            while (isEol(c) && c != -1) {
              c = read();
            }
            next = c;
          } else if (escaped >= '0' && escaped <= '7') {
            c = read();
            if (c >= '0' && c <= '7') {
              c = read();
              if (!(c >= '0' && c <= '7')) {
                next = c;
              }
            } else {
              next = c;
            }
          }
        }
        c = next != -2 ? next : read();
      }
      if (c != -1) {
        rewind(1);
      }
    }

    /** PDFBox ends an unbalanced string at ')' followed by an end of line and '/' or '>'. */
    private int checkForEndOfString(int braces) throws IOException {
      if (braces == 0) {
        return 0;
      }
      int b0 = in.at(pos);
      int b1 = in.at(pos + 1);
      int b2 = in.at(pos + 2);
      if (b2 < 0) {
        return braces;
      }
      if (((b0 == '\r' || b0 == '\n') && (b1 == '/' || b1 == '>'))
          || (b0 == '\r' && b1 == '\n' && (b2 == '/' || b2 == '>'))) {
        return 0;
      }
      return braces;
    }

    Value parseName() throws IOException, Malformed {
      expectChar('/');
      StringBuilder out = new StringBuilder();
      int c = read();
      while (!isEndOfName(c)) {
        if (c == '#') {
          int c1 = read();
          int c2 = read();
          if (isHexDigit(c1) && isHexDigit(c2)) {
            append(out, Character.digit(c1, 16) * 16 + Character.digit(c2, 16));
            c = read();
          } else {
            if (c2 == -1 || c1 == -1) {
              c = -1;
              break;
            }
            rewind(1);
            append(out, '#');
            c = c1;
          }
        } else {
          append(out, c);
          c = read();
        }
      }
      if (c != -1) {
        rewind(1);
      }
      Value value = new Value(Kind.NAME);
      value.name = out.toString();
      return value;
    }

    private static void append(StringBuilder out, int c) {
      if (out.length() < MAX_KEPT_CHARS) {
        out.append((char) c);
      }
    }

    private Value parseNumber() throws IOException {
      StringBuilder out = new StringBuilder();
      int c = read();
      while ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'E' || c == 'e') {
        append(out, c);
        c = read();
      }
      if (c != -1) {
        rewind(1);
      }
      char lastChar = out.charAt(out.length() - 1);
      if (lastChar == 'e' || lastChar == 'E') {
        out.deleteCharAt(out.length() - 1);
        rewind(1);
      }
      String text = out.toString();
      Value value;
      if (isInteger(text)) {
        value = new Value(Kind.INTEGER);
        try {
          value.number = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
          value.number = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
      } else if (text.equals("-") || text.equals(".")) {
        value = new Value(Kind.INTEGER);
      } else {
        value = new Value(Kind.REAL);
      }
      return value;
    }

    private static boolean isInteger(String text) {
      int from = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
      if (from == text.length()) {
        return false;
      }
      for (int i = from; i < text.length(); i++) {
        if (!isDigit(text.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private void expect(String word) throws IOException, Malformed {
      skipSpaces();
      for (int i = 0; i < word.length(); i++) {
        if (read() != word.charAt(i)) {
          throw new Malformed("expected " + word);
        }
      }
      skipSpaces();
    }

    private void expectChar(char expected) throws IOException, Malformed {
      if (read() != expected) {
        throw new Malformed("expected " + expected);
      }
    }

    /** PDFBox has no depth limit of its own, so a deeper nesting than any writer uses is refused. */
    private void enter() {
      if (++depth > MAX_DEPTH) {
        depth--;
        throw new StructureStreams.Refusal(StructureStreams.Outcome.TOO_COMPLEX);
      }
    }
  }

  /** True for the names that mark a cross-reference or object stream, anywhere inside a value. */
  static boolean carriesStructureName(Value value) {
    return switch (value.kind) {
      case NAME -> "ObjStm".equals(value.name) || "XRef".equals(value.name);
      case DICT -> value.dict.structureName;
      case ARRAY -> value.structureName;
      default -> false;
    };
  }

  static boolean isWhitespace(int c) {
    return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
  }

  static boolean isEol(int c) {
    return c == 10 || c == 13;
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static boolean isEndOfName(int c) {
    switch (c) {
      case ' ', '\r', '\n', 9, '>', '<', '[', '/', ']', ')', '(', 0, '\f', '%', -1:
        return true;
      default:
        return false;
    }
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
