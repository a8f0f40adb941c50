package io.integrationengine.mllp.framing;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The negative acknowledgement the adapter writes itself when the application cannot answer (no
 * endpoint, the endpoint threw, the frame was too large to hand over).
 *
 * <p>This is deliberately plain text work on the MSH segment: it runs exactly when the
 * application and its HL7 libraries may be unavailable, and it must still echo the sender's
 * control id so the sender can match the answer and resend.
 */
public final class FallbackAck {

  private static final DateTimeFormatter HL7_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

  private FallbackAck() {}

  /**
   * Builds an ACK with MSA-1 {@code code} (AR, AE, CR or CE) for {@code message}, which may be
   * malformed or truncated, explaining {@code reason} in MSA-3 and ERR-8.
   */
  public static String reject(String message, String code, String reason) {
    String safeReason = sanitize(reason);
    char fs = '|';
    String encoding = "^~\\&";
    Er7.Header msh = null;
    int start = message == null ? -1 : message.indexOf("MSH");
    if (start >= 0) {
      Er7.Header header = Er7.header(message.substring(start));
      // answer in the sender's delimiters only if they are delimiters at all; otherwise its fields cannot be trusted either
      if (header != null && header.validDelimiters()) {
        fs = header.fieldSeparator();
        encoding = header.encodingCharacters().substring(0, 4);
        msh = header;
      }
    }
    char component = encoding.charAt(0);
    String f = String.valueOf(fs);
    String trigger = msh == null ? "" : msh.component(9, 2);
    String version = field(msh, 12).isEmpty() ? "2.5" : field(msh, 12);
    String processingId = field(msh, 11).isEmpty() ? "P" : field(msh, 11);
    StringBuilder ack = new StringBuilder(256);
    ack.append("MSH").append(f).append(encoding)
        .append(f).append(field(msh, 5))
        .append(f).append(field(msh, 6))
        .append(f).append(field(msh, 3))
        .append(f).append(field(msh, 4))
        .append(f).append(ZonedDateTime.now(ZoneOffset.UTC).format(HL7_TIMESTAMP))
        .append(f)
        .append(f).append("ACK").append(trigger.isEmpty() ? "" : component + trigger)
        .append(f).append(UUID.randomUUID().toString().replace("-", "").substring(0, 20))
        .append(f).append(processingId)
        .append(f).append(version)
        .append('\r');
    ack.append("MSA").append(f).append(code).append(f).append(field(msh, 10))
        .append(f).append(safeReason).append('\r');
    ack.append("ERR").append(f).append(f).append(f)
        .append("207").append(component).append("Application internal error").append(component).append("HL70357")
        .append(f).append('E').append(f).append(f).append(f).append(f).append(safeReason).append('\r');
    return ack.toString();
  }

  /** MSH-{@code n} of the sender's header, or "" when there is none. */
  private static String field(Er7.Header msh, int n) {
    return msh == null ? "" : msh.field(n);
  }

  /** Keeps the reason readable and free of HL7 delimiters so it cannot break the ACK's structure. */
  private static String sanitize(String reason) {
    String text = reason == null ? "" : reason;
    text = text.replaceAll("[|^~\\\\&\\r\\n]", " ").strip();
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
