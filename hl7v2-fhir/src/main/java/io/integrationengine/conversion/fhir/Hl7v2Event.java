package io.integrationengine.conversion.fhir;

import java.util.Arrays;
import java.util.Locale;

/**
 * The HL7v2 message a FHIR to HL7v2 conversion builds, written as in MSH-9 ({@code ADT^A08}). A01,
 * A04 and A08 share the ADT_A01 structure; ORU^R01 carries results.
 */
public enum Hl7v2Event {
  ADT_A01("ADT", "A01", "ADT_A01"),
  ADT_A04("ADT", "A04", "ADT_A01"),
  ADT_A08("ADT", "A08", "ADT_A01"),
  ORU_R01("ORU", "R01", "ORU_R01");

  private final String code;
  private final String trigger;
  private final String structure;

  Hl7v2Event(String code, String trigger, String structure) {
    this.code = code;
    this.trigger = trigger;
    this.structure = structure;
  }

  public String code() {
    return code;
  }

  public String trigger() {
    return trigger;
  }

  public String structure() {
    return structure;
  }

  /** As written in MSH-9 and in configuration: {@code ADT^A08}. */
  @Override
  public String toString() {
    return code + "^" + trigger;
  }

  /**
   * Parses {@code ADT^A08} (also {@code ADT_A08}, any case).
   *
   * @throws IllegalArgumentException naming the events there are
   */
  public static Hl7v2Event of(String written) {
    String normalized =
        written == null ? "" : written.strip().toUpperCase(Locale.ROOT).replace('^', '_');
    for (Hl7v2Event event : values()) {
      if (event.name().equals(normalized)) {
        return event;
      }
    }
    throw new IllegalArgumentException(
        "unknown HL7v2 event '" + written + "'; one of " + Arrays.toString(values()));
  }
}
