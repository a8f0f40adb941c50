package io.integrationengine.mllp.framing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the character set a message declares in MSH-18 (HL7 table 0211) by reading the raw bytes
 * of its MSH segment, which are ASCII in every character set HL7 allows on MLLP except UTF-16/32.
 */
public final class Msh18Charsets {

  private static final Map<String, String> TABLE_0211 = Map.ofEntries(
      Map.entry("ASCII", "US-ASCII"),
      Map.entry("ISO IR6", "US-ASCII"),
      Map.entry("8859/1", "ISO-8859-1"),
      Map.entry("ISO IR100", "ISO-8859-1"),
      Map.entry("8859/2", "ISO-8859-2"),
      Map.entry("8859/3", "ISO-8859-3"),
      Map.entry("8859/4", "ISO-8859-4"),
      Map.entry("8859/5", "ISO-8859-5"),
      Map.entry("8859/6", "ISO-8859-6"),
      Map.entry("8859/7", "ISO-8859-7"),
      Map.entry("8859/8", "ISO-8859-8"),
      Map.entry("8859/9", "ISO-8859-9"),
      Map.entry("8859/15", "ISO-8859-15"),
      Map.entry("UNICODE UTF-8", "UTF-8"),
      Map.entry("ISO IR192", "UTF-8"),
      Map.entry("UNICODE UTF-16", "UTF-16"),
      Map.entry("UNICODE UTF-32", "UTF-32"),
      Map.entry("UNICODE", "UTF-16"),
      Map.entry("GB 18030-2000", "GB18030"),
      Map.entry("KS X 1001", "EUC-KR"),
      Map.entry("BIG-5", "Big5"),
      Map.entry("ISO IR87", "ISO-2022-JP"),
      Map.entry("ISO IR159", "ISO-2022-JP"),
      Map.entry("ISO IR13", "JIS_X0201"));

  private Msh18Charsets() {}

  /** The charset MSH-18 names, or {@code fallback} when it names none, or one this JVM lacks. */
  public static Charset detect(byte[] payload, Charset fallback) {
    String declared = msh18(payload);
    if (declared == null) {
      return fallback;
    }
    String javaName = TABLE_0211.get(declared.strip().toUpperCase(Locale.ROOT));
    if (javaName == null) {
      return fallback;
    }
    try {
      return Charset.forName(javaName);
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  /** The first repetition of MSH-18 as written, or null. */
  static String msh18(byte[] payload) {
    String head = new String(payload, 0, Math.min(payload.length, 2048), StandardCharsets.ISO_8859_1);
    int start = head.indexOf("MSH");
    if (start < 0 || head.length() < start + 8) {
      return null;
    }
    char field = head.charAt(start + 3);
    char repetition = head.charAt(start + 5);
    int end = start;
    while (end < head.length() && head.charAt(end) != '\r' && head.charAt(end) != '\n') {
      end++;
    }
    String[] fields = head.substring(start, end).split(java.util.regex.Pattern.quote(String.valueOf(field)), -1);
    if (fields.length <= 17 || fields[17].isEmpty()) {
      return null;
    }
    int rep = fields[17].indexOf(repetition);
    return rep >= 0 ? fields[17].substring(0, rep) : fields[17];
  }
}
