package io.integrationengine.services.input;

import ca.uhn.hl7v2.Version;
import io.integrationengine.mllp.framing.Er7;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The accepting acknowledgement (AA or CA) of a message with a plain header, written straight from
 * the header's text: the same segments and fields HAPI's {@code generateACK} makes (sender and
 * receiver swapped, MSH-9 {@code ACK^<trigger>^ACK} (without {@code ^ACK} before 2.5), MSH-11 and
 * MSH-12 echoed, MSA-2 the sender's control id), without parsing the header into HAPI's model and
 * formatting MSH-7 through HAPI's calendar types, which took a third of intake's CPU under load (JFR,
 * docs/benchmarks.md). {@code AcceptAckTest} holds it to HAPI's output for every sample. It also
 * answers a header HAPI cannot take as a message, such as one without a trigger event.
 *
 * <p>A header that is anything but plain (unusual delimiters, escapes or subcomponents in the
 * fields copied, a version HAPI does not know, none at all) gets {@code null}: the caller answers
 * it with HAPI, which knows those rules.
 */
final class AcceptAck {

  private static final DateTimeFormatter MSH_7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

  private AcceptAck() {}

  /** The ACK for {@code incoming} with MSA-1 {@code code}, or null when HAPI must build it. */
  static String of(String incoming, String code, String ackControlId, ZonedDateTime now) {
    Er7.Header msh = Er7.header(incoming.substring(headerStart(incoming)));
    if (msh == null || !msh.validDelimiters() || msh.encodingCharacters().length() != 4) {
      return null;
    }
    String encoding = msh.encodingCharacters();
    char component = encoding.charAt(0);
    String receivingApplication = plain(msh, 5, 1, encoding);
    String receivingFacility = plain(msh, 6, 1, encoding);
    String sendingApplication = plain(msh, 3, 1, encoding);
    String sendingFacility = plain(msh, 4, 1, encoding);
    String trigger = plain(msh, 9, 2, encoding);
    String controlId = plain(msh, 10, 1, encoding);
    String processingId = plain(msh, 11, 1, encoding);
    String versionId = plain(msh, 12, 1, encoding);
    if (receivingApplication == null || receivingFacility == null || sendingApplication == null || sendingFacility == null
        || trigger == null || controlId == null || processingId == null || versionId == null || versionId.isEmpty()) {
      return null;
    }
    Version version = Version.versionOf(versionId);
    if (version == null) {
      return null;
    }
    // HAPI adds MSH-9.3 unless its ACK structure is of a version before 2.5; versions without packaged structures get a generic one, which has it
    boolean structureBefore25 = version.available() && Version.V25.isGreaterThan(version);
    String type = "ACK" + (structureBefore25 ? (trigger.isEmpty() ? "" : component + trigger) : component + trigger + component + "ACK");
    char f = msh.fieldSeparator();
    StringBuilder ack = new StringBuilder(160);
    ack.append("MSH").append(f).append(encoding)
        .append(f).append(receivingApplication)
        .append(f).append(receivingFacility)
        .append(f).append(sendingApplication)
        .append(f).append(sendingFacility)
        .append(f).append(now.format(MSH_7))
        .append(f)
        .append(f).append(type)
        .append(f).append(ackControlId)
        .append(f).append(processingId)
        .append(f).append(versionId)
        .append('\r')
        .append("MSA").append(f).append(code);
    if (!controlId.isEmpty()) {
      ack.append(f).append(controlId);
    }
    return ack.append('\r').toString();
  }

  /** Where the header starts: past a byte order mark or blank lines before it ({@link Er7#header} reads up to its end). */
  private static int headerStart(String text) {
    int start = 0;
    while (start < text.length() && (Character.isWhitespace(text.charAt(start)) || text.charAt(start) == '\uFEFF')) {
      start++;
    }
    return start;
  }

  /**
   * Component {@code c} of MSH-{@code n} as written, or null when the field repeats or the value
   * holds an escape or a subcomponent: there HAPI's reading (unescaping, the first subcomponent)
   * decides what is echoed.
   */
  private static String plain(Er7.Header msh, int n, int c, String encoding) {
    String field = msh.field(n);
    if (field.indexOf(encoding.charAt(1)) >= 0) {
      return null;
    }
    String value = msh.component(n, c);
    return value.indexOf(encoding.charAt(2)) >= 0 || value.indexOf(encoding.charAt(3)) >= 0 ? null : value;
  }
}
