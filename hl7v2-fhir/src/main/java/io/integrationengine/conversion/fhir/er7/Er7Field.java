package io.integrationengine.conversion.fhir.er7;

/**
 * One repetition of one field of a segment: the unit the data-type conversions (CX, XPN, XAD, XTN,
 * CWE, ...) work on. Components and subcomponents are 1-based, as in the HL7 tables.
 */
public final class Er7Field {

  private final Er7Segment segment;
  private final int field;
  private final int repetition;

  Er7Field(Er7Segment segment, int field, int repetition) {
    this.segment = segment;
    this.field = field;
    this.repetition = repetition;
  }

  /** First subcomponent of a component, decoded; null when empty or {@code ""}. */
  public String comp(int component) {
    return segment.componentValue(field, repetition, component, 1);
  }

  public String sub(int component, int subcomponent) {
    return segment.componentValue(field, repetition, component, subcomponent);
  }

  /** A component seen as a field of its own, its subcomponents as components (e.g. CX-4 as HD). */
  public Er7Component component(int component) {
    return new Er7Component(this, component);
  }

  public boolean isEmpty() {
    return Er7Segment.isBlank(raw());
  }

  /** The field in ER7 encoding, as sent (escapes re-applied). */
  public String raw() {
    return segment.raw(field, repetition);
  }

  public int segmentPosition() {
    return segment.position();
  }

  /** Where the field is, for notes: e.g. "PID-3". */
  public String location() {
    return segment.name() + "-" + field;
  }

  /** A component viewed as a composite whose parts are the subcomponents. */
  public record Er7Component(Er7Field owner, int component) {
    public String part(int subcomponent) {
      return owner.sub(component, subcomponent);
    }
  }
}
