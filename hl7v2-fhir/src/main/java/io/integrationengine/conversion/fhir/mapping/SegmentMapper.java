package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;

/**
 * Maps one family of segments (e.g. PID and PD1) to FHIR resources. Mappers are found through
 * {@link java.util.ServiceLoader}, so a new segment family is a new class, not an edit elsewhere.
 */
public interface SegmentMapper {

  /** Segment names this mapper handles. */
  Set<String> segments();

  /**
   * When the mapper runs: lower phases first (message header, then patient, then visit, then the
   * rest in message order), so that later segments can reference the patient and encounter even
   * when, as in SIU or MDM, PID comes after them.
   */
  default int phase() {
    return MappingPhase.CLINICAL;
  }

  void map(Er7Segment segment, ConversionContext context);

  /** Runs after every segment is mapped, for rules that need the whole message. */
  default void finish(ConversionContext context) {}
}
