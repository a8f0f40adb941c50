package io.integrationengine.mllp.framing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows the plain-text rules of ER7 shared by the adapter and the pipeline:
 * segment separators (CR by the standard, LF or CRLF in files and from lax senders), the optional
 * byte order mark, and the MSH segment's fields, read without a parser so that even malformed
 * input can be answered.
 */
public final class Er7 {

  private static final char BOM = '\uFEFF';

  private Er7() {}

  /** The text without a leading byte order mark and with every CRLF or LF turned into CR. */
  public static String withCarriageReturns(String text) {
    String withoutBom = !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    if (withoutBom.indexOf('\n') < 0) {
      return withoutBom;
    }
    return withoutBom.replace("\r\n", "\r").replace('\n', '\r');
  }

  /**
   * The same at byte level, for ASCII-compatible charsets (every one MLLP carries): CRLF and LF
   * become CR, a UTF-8 byte order mark is dropped, every other byte is kept.
   */
  public static byte[] withCarriageReturns(byte[] bytes) {
    int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
    boolean hasLineFeed = false;
    for (int i = start; i < bytes.length && !hasLineFeed; i++) {
      hasLineFeed = bytes[i] == '\n';
    }
    if (!hasLineFeed) {
      return start == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, start, bytes.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = start; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
        continue;
      }
      out.write(b == '\n' ? '\r' : b);
    }
    return out.toByteArray();
  }

  /** The first segment of the text (up to the first CR or LF), or the whole text. */
  public static String firstSegment(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        return text.substring(0, i);
      }
    }
    return text;
  }

  /**
   * The MSH segment's fields by their HL7 numbers, read from the first segment, or null when the
   * text does not start with {@code MSH} and a field separator (a byte order mark is skipped).
   */
  public static Header header(String text) {
    String msh = firstSegment(!text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text);
    if (!msh.startsWith("MSH") || msh.length() < 4) {
      return null;
    }
    return new Header(msh.charAt(3), split(msh, msh.charAt(3)));
  }

  /** Splits on one delimiter, keeping empty trailing parts. */
  public static List<String> split(String text, char delimiter) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == delimiter) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(text.substring(from));
    return parts;
  }

  /**
   * An MSH segment split on its field separator. {@link #field(int)} takes HL7's numbering: MSH-1
   * is the separator itself, MSH-2 the encoding characters, MSH-3 the sending application.
   */
  public static final class Header {
    private final char fieldSeparator;
    private final List<String> parts;

    Header(char fieldSeparator, List<String> parts) {
      this.fieldSeparator = fieldSeparator;
      this.parts = parts;
    }

    public char fieldSeparator() {
      return fieldSeparator;
    }

    /** MSH-2 as written (may be invalid; see {@link #validDelimiters()}). */
    public String encodingCharacters() {
      return field(2);
    }

    /** True when MSH-1 and MSH-2 are usable delimiters by HL7's rules. */
    public boolean validDelimiters() {
      return Er7Delimiters.valid(fieldSeparator, encodingCharacters());
    }

    /** The component separator, {@code ^} when MSH-2 is empty. */
    public char componentSeparator() {
      String encoding = encodingCharacters();
      return encoding.isEmpty() ? '^' : encoding.charAt(0);
    }

    /** The repetition separator, {@code ~} when MSH-2 is too short. */
    public char repetitionSeparator() {
      String encoding = encodingCharacters();
      return encoding.length() < 2 ? '~' : encoding.charAt(1);
    }

    /** MSH-{@code n} as written, or "" when the segment is shorter. */
    public String field(int n) {
      if (n == 1) {
        return String.valueOf(fieldSeparator);
      }
      return n - 1 < parts.size() && n >= 2 ? parts.get(n - 1) : "";
    }

    /** Component {@code c} (1-based) of the first repetition of MSH-{@code n}, or "". */
    public String component(int n, int c) {
      String value = field(n);
      int repetition = value.indexOf(repetitionSeparator());
      List<String> components = split(repetition >= 0 ? value.substring(0, repetition) : value, componentSeparator());
      return c - 1 < components.size() ? components.get(c - 1) : "";
    }

    /** How many fields the segment has, counting MSH-1. */
    public int fieldCount() {
      return parts.size();
    }
  }
}
