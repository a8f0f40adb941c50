package io.integrationengine.conversion.fhir;

import java.util.Objects;

/**
 * How one conversion runs. There is deliberately no time-zone option: HL7v2 timestamps keep the
 * offset they were sent with, and a timestamp sent without one is never given the server's.
 *
 * @param bundleKind transaction (default) or message
 */
public record ConversionOptions(BundleKind bundleKind) {

  public ConversionOptions {
    Objects.requireNonNull(bundleKind, "bundleKind");
  }

  public static ConversionOptions defaults() {
    return new ConversionOptions(BundleKind.TRANSACTION);
  }

  public static ConversionOptions of(BundleKind kind) {
    return new ConversionOptions(kind);
  }
}
