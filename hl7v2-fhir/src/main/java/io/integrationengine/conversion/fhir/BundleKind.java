package io.integrationengine.conversion.fhir;

import org.hl7.fhir.r4.model.Bundle.BundleType;

/**
 * The kind of Bundle a route wants: a {@code transaction} to load into a FHIR server (conditional
 * create/update on business identifiers, so a resend updates rather than duplicates), or a {@code
 * message} led by a MessageHeader for FHIR messaging.
 */
public enum BundleKind {
  TRANSACTION(BundleType.TRANSACTION),
  MESSAGE(BundleType.MESSAGE);

  private final BundleType type;

  BundleKind(BundleType type) {
    this.type = type;
  }

  public BundleType bundleType() {
    return type;
  }
}
