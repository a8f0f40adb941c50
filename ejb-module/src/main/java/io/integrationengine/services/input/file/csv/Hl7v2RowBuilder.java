package io.integrationengine.services.input.file.csv;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the HL7v2 message of a CSV row with HAPI's model of the mapping's message type and
 * version and its {@link Terser}: the header (MSH-1, 2, 7, 9, 10, 11, 12), the mapping's fixed
 * values, then each column's value. A target names a segment as an analyst does ({@code PID-5-1},
 * {@code OBX-5}, {@code SPM-2-1-1}): it is the first segment of that name in the message structure
 * ({@code PID} of an ORU^R01 is {@code /PATIENT_RESULT/PATIENT/PID}); a path starting with
 * {@code /} is passed to the Terser as it is. Delimiters inside values are escaped by HAPI's
 * encoder; a line break in a value ({@code \r\n}, {@code \n} or {@code \r}) becomes HL7v2's
 * {@code \X000d\}.
 */
final class Hl7v2RowBuilder {

  private static final HapiContext HAPI = context();
  private static final Pattern TARGET = Pattern.compile("([A-Z][A-Z0-9]{2})(\\(\\d+\\))?(-.+)");
  private static final DateTimeFormatter DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
  private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMdd");
  /** Per message type and version, where each segment name is in the structure. */
  private static final Map<String, Map<String, String>> GROUP_PATHS = new ConcurrentHashMap<>();

  private Hl7v2RowBuilder() {}

  private static HapiContext context() {
    HapiContext context = new DefaultHapiContext();
    context.setValidationContext(ValidationContextFactory.noValidation());
    return context;
  }

  /** Checks that the type and version have a model and that every target is a path in it. */
  static void check(CsvMapping mapping) {
    Message message;
    try {
      message = newMessage(mapping);
    } catch (HL7Exception | RuntimeException e) {
      throw new IllegalArgumentException("no HL7v2 model for " + mapping.messageType() + " version " + mapping.version() + ": " + e.getMessage());
    }
    Terser terser = new Terser(message);
    for (Map.Entry<String, String> fixed : mapping.fixed().entrySet()) {
      trySet(terser, mapping, fixed.getKey(), fixed.getValue(), "fixed." + fixed.getKey());
    }
    for (CsvColumn column : mapping.columns()) {
      for (String target : column.targets()) {
        trySet(terser, mapping, target, "1", "column." + column.name());
      }
    }
  }

  private static void trySet(Terser terser, CsvMapping mapping, String target, String value, String key) {
    try {
      terser.set(path(mapping, target), value);
    } catch (HL7Exception | RuntimeException e) {
      throw new IllegalArgumentException(key + ": '" + target + "' is not a field of " + mapping.messageType() + " " + mapping.version() + ": " + e.getMessage());
    }
  }

  /** The row's message in ER7, segments separated by CR. */
  static String build(CsvMapping mapping, Map<CsvColumn, Object> values, String controlId) throws HL7Exception {
    Message message = newMessage(mapping);
    Terser terser = new Terser(message);
    String[] type = mapping.messageType().split("\\^");
    terser.set("/MSH-1", "|");
    terser.set("/MSH-2", "^~\\&");
    terser.set("/MSH-7", DTM.format(OffsetDateTime.now(ZoneOffset.UTC)));
    terser.set("/MSH-9-1", type[0]);
    terser.set("/MSH-9-2", type[1]);
    terser.set("/MSH-9-3", message.getName());
    terser.set("/MSH-10", controlId);
    terser.set("/MSH-11", "P");
    terser.set("/MSH-12", mapping.version());
    for (Map.Entry<String, String> fixed : mapping.fixed().entrySet()) {
      terser.set(path(mapping, fixed.getKey()), fixed.getValue());
    }
    for (Map.Entry<CsvColumn, Object> value : values.entrySet()) {
      if (value.getValue() == null) {
        continue;
      }
      // a line break in a value is CR for HL7v2, which HAPI's encoder escapes (\X000d\); an LF would be left as it is and split the segment
      String text = text(value.getValue()).replace("\r\n", "\r").replace('\n', '\r');
      for (String target : value.getKey().targets()) {
        terser.set(path(mapping, target), text);
      }
    }
    return message.encode();
  }

  static String text(Object value) {
    if (value instanceof OffsetDateTime time) {
      return DTM.format(time);
    }
    if (value instanceof LocalDate date) {
      return DT.format(date);
    }
    if (value instanceof BigDecimal number) {
      return number.toPlainString();
    }
    return value.toString();
  }

  private static Message newMessage(CsvMapping mapping) throws HL7Exception {
    String[] type = mapping.messageType().split("\\^");
    Version version = Version.versionOf(mapping.version());
    if (version == null) {
      throw new HL7Exception("unknown HL7v2 version " + mapping.version());
    }
    return HAPI.newMessage(type[0], type[1], version);
  }

  /** The Terser path of a target: {@code PID-5-1} becomes {@code /PATIENT_RESULT/PATIENT/PID-5-1} in an ORU^R01. */
  static String path(CsvMapping mapping, String target) throws HL7Exception {
    if (target.startsWith("/")) {
      return target;
    }
    Matcher m = TARGET.matcher(target);
    if (!m.matches()) {
      throw new HL7Exception("a target is a segment and field such as PID-5-1 or OBX-5, not '" + target + "'");
    }
    String segment = m.group(1);
    Map<String, String> paths = GROUP_PATHS.computeIfAbsent(mapping.messageType() + " " + mapping.version(), k -> {
      try {
        Map<String, String> found = new ConcurrentHashMap<>();
        collect(newMessage(mapping), "", found);
        return found;
      } catch (HL7Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String group = Optional.ofNullable(paths.get(segment))
        .orElseThrow(() -> new HL7Exception("no segment " + segment + " in " + mapping.messageType() + " " + mapping.version()));
    return group + segment + (m.group(2) == null ? "" : m.group(2)) + m.group(3);
  }

  /** Depth first, in structure order: the first place each segment name has. */
  private static void collect(Group group, String prefix, Map<String, String> found) throws HL7Exception {
    for (String name : group.getNames()) {
      Structure structure = group.get(name);
      if (structure instanceof Group inner) {
        collect(inner, prefix + "/" + name, found);
      } else {
        found.putIfAbsent(name, prefix + "/");
      }
    }
  }
}
