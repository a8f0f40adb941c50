package io.integrationengine.mllp.framing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

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

  /**
   * The charset to read a message with: the one MSH-18 declares; else {@code configured} unless it
   * is {@code auto}; else detected: UTF-8 when the bytes are valid UTF-8, Windows-1252 when they
   * are not but every byte is defined in it (it is a superset of ISO-8859-1's printable
   * characters, and what most hospital systems without MSH-18 send), ISO-8859-1 otherwise.
   */
  public static Charset resolve(byte[] payload, String configured) {
    Charset declared = declared(payload);
    if (declared != null) {
      return declared;
    }
    if (configured != null && !configured.isBlank() && !"auto".equalsIgnoreCase(configured.strip())) {
      return Charset.forName(configured.strip());
    }
    return detect(payload);
  }

  /** What the bytes are most likely encoded in, when nothing declares it (see {@link #resolve}). */
  public static Charset detect(byte[] payload) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      utf8.decode(ByteBuffer.wrap(payload));
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      for (byte b : payload) {
        int unsigned = b & 0xFF;
        // the five bytes Windows-1252 leaves undefined
        if (unsigned == 0x81 || unsigned == 0x8D || unsigned == 0x8F || unsigned == 0x90 || unsigned == 0x9D) {
          return StandardCharsets.ISO_8859_1;
        }
      }
      return WINDOWS_1252;
    }
  }

  /** The charset MSH-18 declares, or null when it declares none this JVM knows. */
  public static Charset declared(byte[] payload) {
    return detect(payload, null);
  }

  /** The first repetition of MSH-18 as written, or null. */
  static String msh18(byte[] payload) {
    String head = new String(payload, 0, Math.min(payload.length, 2048), StandardCharsets.ISO_8859_1);
    int start = head.indexOf("MSH");
    if (start < 0) {
      return null;
    }
    Er7.Header msh = Er7.header(head.substring(start));
    if (msh == null || msh.encodingCharacters().length() < 2) {
      return null;
    }
    String field = msh.field(18);
    int rep = field.indexOf(msh.repetitionSeparator());
    String first = rep >= 0 ? field.substring(0, rep) : field;
    return first.isEmpty() ? null : first;
  }
}
