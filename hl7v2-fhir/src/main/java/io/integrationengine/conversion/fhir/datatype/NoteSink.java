package io.integrationengine.conversion.fhir.datatype;

/** Where a data-type conversion reports a value it could not carry into FHIR. */
@FunctionalInterface
public interface NoteSink {
  void note(String location, int segmentPosition, String value, String reason);
}
