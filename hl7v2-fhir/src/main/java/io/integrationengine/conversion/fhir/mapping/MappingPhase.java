package io.integrationengine.conversion.fhir.mapping;

/** Phase numbers for {@link SegmentMapper#phase()}. */
public final class MappingPhase {
  public static final int HEADER = 0;
  public static final int PATIENT = 1;
  public static final int VISIT = 2;
  public static final int CLINICAL = 3;

  private MappingPhase() {}
}
