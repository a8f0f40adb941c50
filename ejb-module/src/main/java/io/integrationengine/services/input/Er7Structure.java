package io.integrationengine.services.input;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import io.integrationengine.mllp.framing.Er7;
import io.integrationengine.mllp.framing.Er7Delimiters;
import java.util.regex.Pattern;

/**
 * The structural rules an ER7 message must meet before the engine accepts it, checked before
 * HAPI parses it: HAPI's generic model (used for versions without packaged structures) accepts
 * nearly anything, and fuzzed input proves that "anything" includes alphanumeric delimiters and
 * binary segments. Each rule fails with a message an analyst can act on.
 *
 * <ul>
 *   <li>the message starts with an MSH segment;
 *   <li>the field separator and the encoding characters (MSH-2, 4 or 5 with the v2.7 truncation
 *       character) are printable, non-alphanumeric and all different;
 *   <li>MSH-9 holds a message code, MSH-10 a control id, MSH-12 a 2.x version;
 *   <li>every segment starts with a three-character id (a capital letter, then capitals or digits);
 *   <li>no control characters other than CR, LF and TAB.
 * </ul>
 */
final class Er7Structure {

  private static final Pattern SEGMENT_ID = Pattern.compile("[A-Z][A-Z0-9]{2}");
  private static final Pattern MESSAGE_CODE = Pattern.compile("[A-Z0-9]{3}");
  private static final Pattern VERSION = Pattern.compile("2\\.[1-9](\\.[1-9])?");

  private Er7Structure() {}

  /** @param text the message with CR segment separators and no BOM */
  static void check(String text) throws HL7Exception {
    if (!text.startsWith("MSH") || text.length() < 8) {
      throw error("The message does not start with an MSH segment", ErrorCode.SEGMENT_SEQUENCE_ERROR);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7F) {
        throw error("The message contains the control character 0x" + Integer.toHexString(c) + " at position " + i, ErrorCode.DATA_TYPE_ERROR);
      }
    }
    String[] segments = text.split("\r");
    Er7.Header msh = Er7.header(text);
    char fieldSeparator = msh.fieldSeparator();
    checkDelimiters(fieldSeparator, msh.encodingCharacters());

    String messageType = msh.field(9);
    String code = msh.component(9, 1);
    if (!MESSAGE_CODE.matcher(code).matches()) {
      throw error("MSH-9 must start with a three-character message code, was '" + messageType + "'", ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
    }
    if (msh.field(10).isBlank()) {
      throw error("MSH-10 (message control id) is empty", ErrorCode.REQUIRED_FIELD_MISSING);
    }
    String version = msh.component(12, 1);
    if (!VERSION.matcher(version).matches()) {
      throw error("MSH-12 must be an HL7 version 2.x, was '" + version + "'", ErrorCode.UNSUPPORTED_VERSION_ID);
    }
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        continue;
      }
      String id = segment.length() >= 3 ? segment.substring(0, 3) : segment;
      boolean separated = segment.length() == 3 || segment.charAt(3) == fieldSeparator;
      if (!SEGMENT_ID.matcher(id).matches() || !separated) {
        throw error("Segment " + (i + 1) + " does not start with a segment id (three capitals or digits, then '" + fieldSeparator + "'): '"
            + (segment.length() > 20 ? segment.substring(0, 20) + "..." : segment) + "'", ErrorCode.SEGMENT_SEQUENCE_ERROR);
      }
    }
  }

  private static void checkDelimiters(char fieldSeparator, String encoding) throws HL7Exception {
    if (!Er7Delimiters.valid(fieldSeparator, encoding)) {
      throw error("MSH-1 and MSH-2 must be 5 or 6 different printable non-alphanumeric delimiters, were '" + fieldSeparator + encoding + "'", ErrorCode.DATA_TYPE_ERROR);
    }
  }

  /** True when the text's MSH delimiters can be trusted to read its header. */
  static boolean readableHeader(String text) {
    if (text.length() < 8) {
      return false;
    }
    Er7.Header msh = Er7.header(text);
    return msh != null && msh.fieldCount() > 2 && msh.validDelimiters();
  }

  private static HL7Exception error(String message, ErrorCode code) {
    return new HL7Exception(message, code);
  }
}
