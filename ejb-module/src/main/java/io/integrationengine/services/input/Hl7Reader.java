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
import io.integrationengine.core.model.MessageHeader;
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
    // ACK control ids unique across restarts and instances (HAPI's default counter restarts at 1), 20 characters as ST allows
    context.getParserConfiguration().setIdGenerator(() -> UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    return context;
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

  public MessageHeader header(Message message) {
    Terser t = new Terser(message);
    return new MessageHeader(
        read(t, "/MSH-3-1"),
        read(t, "/MSH-4-1"),
        read(t, "/MSH-5-1"),
        read(t, "/MSH-6-1"),
        read(t, "/MSH-10"),
        read(t, "/MSH-9-1"),
        read(t, "/MSH-9-2"),
        read(t, "/MSH-12-1"),
        read(t, "/MSH-15"),
        read(t, "/MSH-16"),
        read(t, "/.PID-3-1"));
  }

  /** The header fields of a segment read by {@link #criticalHeader}. */
  public MessageHeader header(Segment msh) {
    return new MessageHeader(
        read(msh, 3, 1), read(msh, 4, 1), read(msh, 5, 1), read(msh, 6, 1), read(msh, 10, 1), read(msh, 9, 1), read(msh, 9, 2), read(msh, 12, 1), read(msh, 15, 1), read(msh, 16, 1), null);
  }

  private static String read(Terser terser, String path) {
    try {
      String value = terser.get(path);
      return value == null || value.isEmpty() ? null : value;
    } catch (HL7Exception | RuntimeException e) {
      // an optional field missing from this structure is not an error
      return null;
    }
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
    String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return withoutBom.replace("\r\n", "\r").replace('\n', '\r').strip() + "\r";
  }
}
