package io.integrationengine.conversion.fhir.er7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One segment of a message, read through HAPI's {@link Terser}. It remembers which fields a mapper
 * read, so that every non-empty field nobody read can be reported as not mapped: the converter
 * never drops data without saying so.
 */
public final class Er7Segment {

  private final String name;
  private final int position;
  private final GenericSegment segment;
  private final EncodingCharacters encoding;
  private final String text;
  private final BitSet used = new BitSet();
  private boolean handled;

  Er7Segment(
      String name, int position, GenericSegment segment, EncodingCharacters encoding, String text) {
    this.name = name;
    this.position = position;
    this.segment = segment;
    this.encoding = encoding;
    this.text = text;
  }

  public String name() {
    return name;
  }

  /** 1-based position of the segment in the message. */
  public int position() {
    return position;
  }

  String text() {
    return text;
  }

  /** First repetition, first component, first subcomponent of a field. */
  public String value(int field) {
    return value(field, 0, 1, 1);
  }

  public String value(int field, int component) {
    return value(field, 0, component, 1);
  }

  public String value(int field, int component, int subcomponent) {
    return value(field, 0, component, subcomponent);
  }

  /**
   * The decoded value, or null when empty or the HL7 null {@code ""}: FHIR has no "delete this
   * value" marker for a single element, so an explicit null is treated as no value.
   */
  public String value(int field, int repetition, int component, int subcomponent) {
    used.set(field);
    if (field > segment.numFields() || repetition >= repetitions(field)) {
      return null;
    }
    try {
      return clean(Terser.get(segment, field, repetition, component, subcomponent));
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  /** All non-empty repetitions of a field. */
  public List<Er7Field> fields(int field) {
    used.set(field);
    List<Er7Field> result = new ArrayList<>();
    int count = repetitions(field);
    for (int rep = 0; rep < count; rep++) {
      Er7Field f = new Er7Field(this, field, rep);
      if (!f.isEmpty()) {
        result.add(f);
      }
    }
    return result;
  }

  /** The first repetition of a field, or null when it is empty. */
  public Er7Field field(int field) {
    List<Er7Field> all = fields(field);
    return all.isEmpty() ? null : all.get(0);
  }

  /** Marks a field as consumed without reading it (e.g. set IDs that only order segments). */
  public void use(int... fields) {
    for (int f : fields) {
      used.set(f);
    }
  }

  /** Marks the segment as handled by a mapper. */
  public void handled() {
    handled = true;
  }

  public boolean isHandled() {
    return handled;
  }

  int repetitions(int field) {
    if (field < 1 || field > segment.numFields()) {
      return 0;
    }
    try {
      return segment.getField(field).length;
    } catch (HL7Exception e) {
      return 0;
    }
  }

  String componentValue(int field, int repetition, int component, int subcomponent) {
    try {
      return clean(Terser.get(segment, field, repetition, component, subcomponent));
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  String raw(int field, int repetition) {
    try {
      Type type = segment.getField(field, repetition);
      return PipeParser.encode(type, encoding);
    } catch (HL7Exception | RuntimeException e) {
      return "";
    }
  }

  /** Non-empty fields that no mapper read, with their raw ER7 value. */
  public List<UnusedField> unusedFields() {
    List<UnusedField> result = new ArrayList<>();
    int first = "MSH".equals(name) ? 3 : 1;
    for (int f = first; f <= segment.numFields(); f++) {
      if (used.get(f)) {
        continue;
      }
      StringBuilder raw = new StringBuilder();
      int reps = repetitions(f);
      for (int r = 0; r < reps; r++) {
        if (r > 0) {
          raw.append(encoding.getRepetitionSeparator());
        }
        raw.append(raw(f, r));
      }
      String value = raw.toString();
      if (!isBlank(value)) {
        result.add(new UnusedField(f, value));
      }
    }
    return result;
  }

  static boolean isBlank(String raw) {
    if (raw == null) {
      return true;
    }
    for (char c : raw.toCharArray()) {
      if (!Character.isWhitespace(c) && c != '^' && c != '&' && c != '~' && c != '"') {
        return false;
      }
    }
    return true;
  }

  static String clean(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.isEmpty() || "\"\"".equals(trimmed)) {
      return null;
    }
    return trimmed;
  }

  /** A field with data that no mapping used. */
  public record UnusedField(int field, String rawValue) {}
}
