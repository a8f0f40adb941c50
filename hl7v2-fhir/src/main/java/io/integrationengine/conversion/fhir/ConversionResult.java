package io.integrationengine.conversion.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The outcome of converting one message: the FHIR R4 Bundle and the list of what the Bundle does
 * not carry, so nothing is dropped silently.
 */
public record ConversionResult(Bundle bundle, List<NotMappedNote> notMapped) {
  public ConversionResult {
    notMapped = List.copyOf(notMapped);
  }
}
