package io.integrationengine.conversion.fhir.er7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import io.integrationengine.conversion.fhir.ConversionException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One HL7v2 ER7 message as an ordered list of segments, each parsed by HAPI HL7v2 into a generic
 * segment. Segment order is kept exactly as sent (HAPI's message models regroup segments by
 * structure, which loses "OBX after SPM" and breaks on unknown structures), while HAPI still does
 * the delimiter handling and escape decoding, so custom delimiters, Z-segments and any version from
 * 2.1 to 2.8 are read the same way.
 */
public final class SegmentedMessage {

  private static final Pattern SEGMENT_BREAK = Pattern.compile("\r\n|\r|\n");
  private static final Pattern SEGMENT_NAME = Pattern.compile("[A-Z][A-Z0-9]{2}");

  private final List<Er7Segment> segments;
  private final EncodingCharacters encoding;

  private final String fingerprint;
  private final int trailingStart;
  private final int trailingSegments;

  private SegmentedMessage(
      List<Er7Segment> segments,
      EncodingCharacters encoding,
      String fingerprint,
      int trailingStart,
      int trailingSegments) {
    this.segments = List.copyOf(segments);
    this.encoding = encoding;
    this.fingerprint = fingerprint;
    this.trailingStart = trailingStart;
    this.trailingSegments = trailingSegments;
  }

  /** A stable key of the message text, for messages without a control id. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Segments after a second MSH (a batch that was not split), not converted; 0 when none. */
  public int trailingSegments() {
    return trailingSegments;
  }

  /** Position the second MSH would have had. */
  public int trailingStart() {
    return trailingStart;
  }

  /**
   * Parses ER7 text: tolerates a UTF-8 BOM, MLLP framing bytes and any segment separator.
   *
   * @throws ConversionException when the text is not an ER7 message starting with MSH
   */
  public static SegmentedMessage parse(String text) {
    if (text == null) {
      throw new ConversionException("No message text");
    }
    String cleaned = text.replace("\uFEFF", "").replace("\u000B", "").replace("\u001C", "").strip();
    if (!cleaned.startsWith("MSH") || cleaned.length() < 8) {
      throw new ConversionException("Not an ER7 message: it must start with an MSH segment");
    }
    char fieldSeparator = cleaned.charAt(3);
    int end = cleaned.indexOf(fieldSeparator, 4);
    if (end < 0) {
      throw new ConversionException("MSH-2 (encoding characters) is missing");
    }
    String encodingChars = cleaned.substring(4, end);
    encodingChars = completeEncodingCharacters(encodingChars);
    if (encodingChars == null) {
      throw new ConversionException(
          "MSH-2 must hold 4 or 5 encoding characters, got '" + cleaned.substring(4, end) + "'");
    }
    EncodingCharacters encoding;
    try {
      encoding = new EncodingCharacters(fieldSeparator, encodingChars.substring(0, 4));
    } catch (RuntimeException e) {
      throw new ConversionException("Unusable encoding characters '" + encodingChars + "'", e);
    }
    PipeParser parser = new PipeParser(new GenericModelClassFactory());
    GenericMessage owner = new GenericMessage.V25(new GenericModelClassFactory());
    owner.setParser(parser);
    List<Er7Segment> segments = new ArrayList<>();
    int line = 0;
    for (String raw : SEGMENT_BREAK.split(cleaned)) {
      line++;
      String segmentText = raw.strip();
      if (segmentText.isEmpty()) {
        continue;
      }
      if (segmentText.length() < 3
          || !SEGMENT_NAME.matcher(segmentText.substring(0, 3)).matches()
          || (segmentText.length() > 3 && segmentText.charAt(3) != fieldSeparator)) {
        // A line that is no segment is the tail of a multi-line field: keep it with the segment
        // before.
        if (segments.isEmpty()) {
          throw new ConversionException(
              "Line " + line + " is not a segment: " + abbreviate(segmentText));
        }
        Er7Segment previous = segments.remove(segments.size() - 1);
        segmentText = previous.text() + "\n" + segmentText;
        segments.add(parseSegment(parser, owner, segmentText, encoding, previous.position()));
        continue;
      }
      if ("MSH".equals(segmentText.substring(0, 3)) && !segments.isEmpty()) {
        // Batches are split upstream: a second message is reported, never merged into the first.
        int rest = 0;
        for (String tail : SEGMENT_BREAK.split(cleaned.substring(cleaned.indexOf(raw)))) {
          if (!tail.isBlank()) {
            rest++;
          }
        }
        return new SegmentedMessage(
            segments, encoding, fingerprint(cleaned), segments.size() + 1, rest);
      }
      segments.add(parseSegment(parser, owner, segmentText, encoding, segments.size() + 1));
    }
    return new SegmentedMessage(segments, encoding, fingerprint(cleaned), 0, 0);
  }

  private static String fingerprint(String text) {
    return java.util
        .UUID
        .nameUUIDFromBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Old senders omit an encoding character they never use ({@code ^~&}, {@code ^\&}): when the ones
   * sent are all standard, the missing roles get the standard characters.
   */
  private static String completeEncodingCharacters(String chars) {
    if (chars.length() == 4 || chars.length() == 5) {
      return chars;
    }
    if (chars.length() != 3 || !chars.chars().allMatch(c -> "^~\\&".indexOf(c) >= 0)) {
      return null;
    }
    return "^~\\&";
  }

  private static Er7Segment parseSegment(
      PipeParser parser,
      GenericMessage owner,
      String text,
      EncodingCharacters encoding,
      int position) {
    String name = text.substring(0, 3);
    GenericSegment segment = new GenericSegment(owner, name);
    try {
      parser.parse(segment, text, encoding);
    } catch (HL7Exception | RuntimeException e) {
      throw new ConversionException(
          "Segment " + position + " (" + name + ") cannot be parsed: " + e.getMessage(), e);
    }
    return new Er7Segment(name, position, segment, encoding, text);
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  public List<Er7Segment> segments() {
    return segments;
  }

  public EncodingCharacters encoding() {
    return encoding;
  }

  /** The MSH segment, always the first. */
  public Er7Segment header() {
    return segments.get(0);
  }
}
