package io.integrationengine.conversion.fhir;

/**
 * Something in the message that the Bundle does not carry: a whole segment no mapping uses
 * (Z-segments, ARV, ...), a field of a mapped segment that no mapping reads, or a value that could
 * not be represented (e.g. a time of day sent without UTC offset). For the operator's log and the
 * endpoint's OperationOutcome warning.
 *
 * @param location segment and field, e.g. {@code PID-13} or {@code ZNT} (whole segment)
 * @param segmentPosition 1-based position of the segment in the message
 * @param value the raw ER7 value, abbreviated
 * @param reason why it is not in the Bundle
 */
public record NotMappedNote(String location, int segmentPosition, String value, String reason) {

  @Override
  public String toString() {
    return location
        + " (segment "
        + segmentPosition
        + "): "
        + reason
        + (value == null ? "" : " [" + value + "]");
  }
}
