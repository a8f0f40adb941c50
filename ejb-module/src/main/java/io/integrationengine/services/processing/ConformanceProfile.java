package io.integrationengine.services.processing;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.conf.ProfileException;
import ca.uhn.hl7v2.conf.check.DefaultValidator;
import ca.uhn.hl7v2.conf.parser.ProfileParser;
import ca.uhn.hl7v2.conf.spec.RuntimeProfile;
import ca.uhn.hl7v2.conf.spec.message.StaticDef;
import ca.uhn.hl7v2.model.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An HL7v2 conformance profile (HAPI's message profile XML, as HL7 and the Messaging Workbench
 * write them) that a channel checks messages of its type against: required elements, maximum
 * repetitions, lengths, constant values. Checked at intake, so a message that breaks it gets an
 * AE saying which rule.
 */
public final class ConformanceProfile {

  private final String source;
  private final StaticDef definition;
  private final DefaultValidator validator;

  private ConformanceProfile(String source, StaticDef definition) {
    this.source = source;
    this.definition = definition;
    this.validator = new DefaultValidator(new DefaultHapiContext());
  }

  /** Reads a profile file; an unreadable one is an IllegalArgumentException naming the file. */
  public static ConformanceProfile load(Path file) {
    try {
      RuntimeProfile profile = new ProfileParser(false).parse(Files.readString(file, StandardCharsets.UTF_8));
      StaticDef definition = profile.getMessage();
      if (definition == null || definition.getMsgType() == null) {
        throw new IllegalArgumentException("profile " + file + " has no HL7v2xStaticDef with a MsgType");
      }
      return new ConformanceProfile(file.getFileName().toString(), definition);
    } catch (IOException e) {
      throw new IllegalArgumentException("profile " + file + " cannot be read: " + e.getMessage(), e);
    } catch (ProfileException e) {
      throw new IllegalArgumentException("profile " + file + " is not a valid conformance profile: " + e.getMessage(), e);
    }
  }

  /** The message type it is for, {@code ADT^A31} (or {@code ADT} when it names no event). */
  public String messageType() {
    String event = definition.getEventType();
    return event == null || event.isBlank() || "ALL".equalsIgnoreCase(event) ? definition.getMsgType() : definition.getMsgType() + "^" + event;
  }

  /** True for messages of the profile's type ({@code messageType} as code^trigger). */
  public boolean appliesTo(String messageType) {
    if (messageType == null) {
      return false;
    }
    String own = messageType();
    return own.contains("^") ? own.equalsIgnoreCase(messageType) : messageType.toUpperCase().startsWith(own.toUpperCase());
  }

  /** Every rule of the profile the message breaks, each with its location; empty when it conforms. */
  public List<String> violations(Message message) {
    List<String> found = new ArrayList<>();
    try {
      for (HL7Exception problem : validator.validate(message, definition)) {
        found.add(source + ": " + oneLine(problem.getMessage()));
      }
    } catch (ProfileException | HL7Exception | RuntimeException e) {
      found.add(source + ": the message could not be checked against the profile: " + oneLine(e.getMessage()));
    }
    return found;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\r', ' ').replace('\n', ' ').strip();
  }

  @Override
  public String toString() {
    return source + " (" + messageType() + ")";
  }
}
