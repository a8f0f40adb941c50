package io.integrationengine.services.input;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.integrationengine.core.model.Attributes;
import io.integrationengine.mllp.framing.Er7;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Parses ER7 (pipe-delimited) HL7v2 text with HAPI and reads the header fields the engine works
 * with.
 *
 * <p>Versions whose structures are packaged (2.3, 2.4, 2.5, 2.5.1, 2.8) parse into typed models;
 * any other version parses generically, so a message is never refused only for its version.
 * Before HAPI sees it, the text must pass {@link Er7Structure}'s checks. Content validation is off at intake: a field a receiver might dislike is the receiver's
 * business, a message whose structure cannot be read is ours.
 */
@ApplicationScoped
public class Hl7Reader {

  private final HapiContext typed = context(new DefaultHapiContext());
  private final HapiContext generic = context(new DefaultHapiContext(new GenericModelClassFactory()));

  private static HapiContext context(HapiContext context) {
    context.setValidationContext(ValidationContextFactory.noValidation());
    context.getParserConfiguration().setIdGenerator(Hl7Reader::ackControlId);
    return context;
  }

  /**
   * A control id for an acknowledgement: unique across restarts and instances (HAPI's default
   * counter restarts at 1), 20 characters as ST allows.
   */
  static String ackControlId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  /**
   * Parses a message; segment separators may be CR, LF or CRLF. Whatever the parser trips over on
   * malformed input (HAPI throws runtime exceptions on some) comes back as an {@link HL7Exception}.
   */
  public Message parse(String text) throws HL7Exception {
    try {
      String normalized = normalize(text);
      Er7Structure.check(normalized);
      String version = typed.getPipeParser().getVersion(normalized);
      Version known = Version.versionOf(version);
      PipeParser parser = known != null && known.available() ? typed.getPipeParser() : generic.getPipeParser();
      return parser.parse(normalized);
    } catch (RuntimeException | StackOverflowError e) {
      throw new HL7Exception("Unreadable HL7v2 message: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }
  }

  /**
   * The message's MSH segment alone, parsed as a message of its type and version: enough for HAPI
   * to build a proper acknowledgement (sender and receiver swapped, control id echoed) at a
   * fraction of the cost of parsing every segment.
   */
  public Message headerOnly(String text) throws HL7Exception {
    String normalized = normalize(text);
    if (!Er7Structure.readableHeader(normalized)) {
      throw new HL7Exception("MSH segment unreadable: no usable delimiters");
    }
    try {
      String msh = Er7.firstSegment(normalized) + "\r";
      Version known = Version.versionOf(typed.getPipeParser().getVersion(msh));
      PipeParser parser = known != null && known.available() ? typed.getPipeParser() : generic.getPipeParser();
      return parser.parse(msh);
    } catch (RuntimeException | StackOverflowError e) {
      throw new HL7Exception("MSH segment unreadable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }
  }

  /**
   * The MSH segment of a message that could not be parsed, read leniently so it can still be
   * answered; refused when the delimiters are unusable, since its fields cannot be trusted then.
   */
  public Segment criticalHeader(String text) throws HL7Exception {
    String normalized = normalize(text);
    if (!Er7Structure.readableHeader(normalized)) {
      throw new HL7Exception("MSH segment unreadable: no usable delimiters");
    }
    try {
      return typed.getPipeParser().getCriticalResponseData(normalized);
    } catch (RuntimeException | StackOverflowError e) {
      throw new HL7Exception("MSH segment unreadable", e);
    }
  }

  public String encode(Message message) throws HL7Exception {
    return typed.getPipeParser().encode(message);
  }

  /**
   * Checks the structure ({@link Er7Structure}) of a message without building HAPI's model of it:
   * what intake needs to decide the answer unless a conformance profile applies.
   */
  public void check(String text) throws HL7Exception {
    try {
      Er7Structure.check(normalize(text));
    } catch (RuntimeException | StackOverflowError e) {
      throw new HL7Exception("Unreadable HL7v2 message: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }
  }

  /**
   * The header fields and attributes of a message whose structure passed {@link #check}, read with
   * the engine's flat ER7 model: a fraction of the cost of HAPI's typed parse (a third of intake's
   * CPU on an 8 KB ADT), and independent of the message's version and structure.
   */
  public Hl7Header header(String text) {
    Er7Message m = Er7Message.parse(normalize(text));
    String code = first(m, "MSH-9.1");
    String trigger = first(m, "MSH-9.2");
    String type = code == null ? null : trigger == null ? code : code + "^" + trigger;
    List<String> pairs = new ArrayList<>(java.util.Arrays.asList(
        Attributes.SENDING_APPLICATION, first(m, "MSH-3.1"),
        Attributes.SENDING_FACILITY, first(m, "MSH-4.1"),
        Attributes.RECEIVING_APPLICATION, first(m, "MSH-5.1"),
        Attributes.RECEIVING_FACILITY, first(m, "MSH-6.1"),
        Attributes.MESSAGE_TYPE, type,
        Attributes.CONTROL_ID, first(m, "MSH-10.1"),
        Attributes.VERSION, first(m, "MSH-12.1")));
    if (m.segmentCount("PID") > 0) {
      for (FieldPath repetition : m.positions(FieldPath.parse("PID(1)-3(*)"))) {
        String prefix = "PID(1)-3(" + repetition.repetition().index() + ")";
        String id = first(m, prefix + ".1");
        if (id != null) {
          String authority = first(m, prefix + ".4.1");
          pairs.add(Attributes.PATIENT_ID);
          pairs.add(id);
          pairs.add(Attributes.PATIENT_IDENTIFIER);
          pairs.add(authority == null ? id : id + "^^^" + authority);
        }
      }
      String family = first(m, "PID(1)-5(1).1.1");
      String given = first(m, "PID(1)-5(1).2");
      if (family != null || given != null) {
        pairs.add(Attributes.PATIENT_NAME);
        pairs.add((family == null ? "" : family) + (given == null ? "" : "^" + given));
      }
    }
    return new Hl7Header(first(m, "MSH-3.1"), first(m, "MSH-4.1"), first(m, "MSH-10.1"), type, first(m, "MSH-15.1"), first(m, "MSH-16.1"),
        Hl7Header.attributes(pairs.toArray(String[]::new)));
  }

  private static String first(Er7Message message, String path) {
    return message.first(FieldPath.parse(path)).filter(v -> !v.isBlank()).orElse(null);
  }

  /** The header fields of a segment read by {@link #criticalHeader}, for answering and storing a message that did not parse. */
  public Hl7Header header(Segment msh) {
    String code = read(msh, 9, 1);
    String trigger = read(msh, 9, 2);
    String type = code == null ? null : trigger == null ? code : code + "^" + trigger;
    return new Hl7Header(read(msh, 3, 1), read(msh, 4, 1), read(msh, 10, 1), type, read(msh, 15, 1), read(msh, 16, 1),
        Hl7Header.attributes(
            Attributes.SENDING_APPLICATION, read(msh, 3, 1),
            Attributes.SENDING_FACILITY, read(msh, 4, 1),
            Attributes.MESSAGE_TYPE, type,
            Attributes.CONTROL_ID, read(msh, 10, 1),
            Attributes.VERSION, read(msh, 12, 1)));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String read(Segment segment, int field, int component) {
    try {
      String value = Terser.get(segment, field, 0, component, 1);
      return value == null || value.isEmpty() ? null : value;
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  static String normalize(String text) {
    return Er7.withCarriageReturns(text).strip() + "\r";
  }
}
