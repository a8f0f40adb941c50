package io.integrationengine.services.processing.transform;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * HAPI's HL7v2 XML encoding, with validation off like intake (a field a receiver might dislike is
 * the receiver's business). Versions whose structures are packaged use their typed model.
 *
 * <p>Other versions (2.6, 2.7, ...) cannot go through HAPI's generic model here: its XML encoder
 * reads MSH-2 as a primitive, and a generic MSH-2 is not one (ClassCastException). They are read
 * with the structures of the oldest packaged version not older than the message (2.6 and 2.7 with
 * 2.8's: later versions append fields and components, so their structures hold an earlier
 * message), or of the newest packaged version for a newer message. MSH-12 keeps the message's own
 * version.
 */
final class Hl7XmlCodec {

  private final HapiContext typed = context(new DefaultHapiContext());
  private final Map<Version, HapiContext> canonical = new ConcurrentHashMap<>();

  private static HapiContext context(HapiContext context) {
    context.setValidationContext(ValidationContextFactory.noValidation());
    return context;
  }

  /**
   * The message in a typed model HAPI can encode as XML: as it is when its version's structures
   * are packaged, else re-read with the nearest packaged version's.
   *
   * @param message as parsed at intake: typed, or generic for a version without structures
   */
  Message typed(Message message) throws HL7Exception {
    Version version = Version.versionOf(message.getVersion());
    if (version != null && version.available()) {
      return message;
    }
    return canonicalContext(message.getVersion()).getPipeParser().parse(message.encode());
  }

  /** @param message a message from {@link #typed} */
  String toXml(Message message) throws HL7Exception {
    return typed.getXMLParser().encode(message);
  }

  /**
   * Where {@code after} (read back from XML) first differs from {@code before}, as a field
   * position such as {@code PID-2}, or empty when both encode alike. HAPI's model keeps components
   * a field's datatype does not define (senders put them in withdrawn fields such as v2.8 PID-2),
   * but its XML encoder leaves them out; this finds out whether a message lost any.
   */
  Optional<String> firstDifference(Message before, Message after) throws HL7Exception {
    String[] original = toEr7(before).split("\r");
    String[] reread = toEr7(after).split("\r");
    for (int i = 0; i < Math.max(original.length, reread.length); i++) {
      String a = i < original.length ? original[i] : "";
      String b = i < reread.length ? reread[i] : "";
      if (a.equals(b)) {
        continue;
      }
      String segment = a.length() >= 3 ? a.substring(0, 3) : b.substring(0, Math.min(3, b.length()));
      if (a.length() < 4 || b.length() < 4) {
        return Optional.of(segment);
      }
      String separator = Pattern.quote(String.valueOf(a.charAt(3)));
      String[] fieldsA = a.split(separator, -1);
      String[] fieldsB = b.split(separator, -1);
      int field = 1;
      while (field < Math.min(fieldsA.length, fieldsB.length) && fieldsA[field].equals(fieldsB[field])) {
        field++;
      }
      // MSH counts its field separator as MSH-1
      return Optional.of(segment + "-" + ("MSH".equals(segment) ? field + 1 : field));
    }
    return Optional.empty();
  }

  /**
   * Parses HL7v2 XML. A document type declaration is refused before HAPI sees the text: HAPI's
   * parser allows one, and it turns off external entities with a list of parser features it stops
   * applying at the first one the server's XML implementation does not know.
   *
   * @throws IllegalArgumentException when the text declares a document type or entities
   */
  Message fromXml(String xml) throws HL7Exception {
    String upper = xml.toUpperCase(Locale.ROOT);
    if (upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY")) {
      throw new IllegalArgumentException("the XML declares a document type or entities (<!DOCTYPE>), which HL7v2 XML never needs;"
          + " refused so that no external entity is resolved");
    }
    String version = typed.getXMLParser().getVersion(xml);
    Version known = Version.versionOf(version);
    HapiContext context = known != null && known.available() ? typed : canonicalContext(version);
    return context.getXMLParser().parse(xml);
  }

  String toEr7(Message message) throws HL7Exception {
    return typed.getPipeParser().encode(message);
  }

  private HapiContext canonicalContext(String version) throws HL7Exception {
    List<Version> packaged = Version.availableVersions();
    if (packaged.isEmpty()) {
      throw new HL7Exception("no HAPI structures are packaged, so version " + version + " cannot be converted");
    }
    Version wanted = Version.versionOf(version);
    Version nearest = packaged.get(packaged.size() - 1);
    for (int i = packaged.size() - 1; i >= 0; i--) {
      // a version HAPI does not know (2.9) is newer than all it does
      if (wanted != null && packaged.get(i).compareTo(wanted) >= 0) {
        nearest = packaged.get(i);
      }
    }
    return canonical.computeIfAbsent(nearest, v -> context(new DefaultHapiContext(new CanonicalModelClassFactory(v.getVersion()))));
  }
}
