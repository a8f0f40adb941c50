package io.integrationengine.mllp.framing;

import io.integrationengine.mllp.api.MllpAck;
import java.util.regex.Pattern;

/** Reads the MSA (and ERR) segments of an acknowledgement, and MSH-10 of a message, from ER7 text. */
public final class AckReader {

  private AckReader() {}

  /** The ACK's code, control id and text, or null if the text has no MSA segment. */
  public static MllpAck read(String ack) {
    String[] segments = Er7.withCarriageReturns(ack).split("\r");
    if (segments.length == 0 || !segments[0].startsWith("MSH") || segments[0].length() < 8) {
      return null;
    }
    String fs = Pattern.quote(String.valueOf(segments[0].charAt(3)));
    String cs = segments[0].length() > 4 ? Pattern.quote(String.valueOf(segments[0].charAt(4))) : "\\^";
    String code = null;
    String controlId = null;
    StringBuilder text = new StringBuilder();
    for (String segment : segments) {
      String[] fields = segment.split(fs, -1);
      if (fields[0].equals("MSA")) {
        code = fields.length > 1 ? fields[1] : "";
        controlId = fields.length > 2 ? fields[2] : "";
        if (fields.length > 3 && !fields[3].isEmpty()) {
          text.append(fields[3]);
        }
      } else if (fields[0].equals("ERR")) {
        String detail = errorText(fields, cs);
        if (!detail.isEmpty()) {
          text.append(text.length() > 0 ? "; " : "").append(detail);
        }
      }
    }
    return code == null ? null : new MllpAck(code, controlId, text.toString(), ack);
  }

  /** ERR-8 (user message), else ERR-3's original text or text (v2.5+), else ERR-1 (before v2.5). */
  private static String errorText(String[] fields, String componentSeparator) {
    if (fields.length > 8 && !fields[8].isEmpty()) {
      return fields[8];
    }
    if (fields.length > 3 && !fields[3].isEmpty()) {
      String[] code = fields[3].split(componentSeparator, -1);
      if (code.length > 8 && !code[8].isEmpty()) {
        return code[8];
      }
      if (code.length > 1 && !code[1].isEmpty()) {
        return code[1];
      }
    }
    return fields.length > 1 ? fields[1] : "";
  }

  /** MSH-10 of a message, or null. */
  public static String controlId(String message) {
    Er7.Header msh = Er7.header(message);
    return msh == null || msh.fieldCount() < 10 ? null : msh.field(10);
  }
}
