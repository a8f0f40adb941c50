package io.integrationengine.services.input;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.MessageAttribute;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the FHIR intake reads into the envelope, for search and routing: the resource type (the
 * message type), its id (the control id; a Bundle's identifier when it has one), the Bundle type,
 * and the patient: each Patient's identifiers and name (in a Bundle, every Patient entry), or the
 * reference a clinical resource makes to its patient ({@code subject} or {@code patient}).
 */
public final class FhirAttributes {

  private FhirAttributes() {}

  public static List<MessageAttribute> read(Resource resource) {
    List<MessageAttribute> read = new ArrayList<>();
    String type = resource.fhirType();
    read.add(new MessageAttribute(Attributes.MESSAGE_TYPE, type));
    read.add(new MessageAttribute(Attributes.RESOURCE_TYPE, type));
    if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
      read.add(new MessageAttribute(Attributes.RESOURCE_ID, resource.getIdElement().getIdPart()));
    }
    String controlId = resource.hasIdElement() ? resource.getIdElement().getIdPart() : null;
    Set<String> seen = new LinkedHashSet<>();
    if (resource instanceof Bundle bundle) {
      if (bundle.hasType()) {
        read.add(new MessageAttribute(Attributes.BUNDLE_TYPE, bundle.getType().toCode()));
      }
      if (bundle.hasIdentifier() && bundle.getIdentifier().hasValue()) {
        controlId = bundle.getIdentifier().getValue();
      }
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        if (entry.hasResource()) {
          patient(entry.getResource(), read, seen);
        }
      }
    } else {
      patient(resource, read, seen);
    }
    if (controlId != null) {
      read.add(new MessageAttribute(Attributes.CONTROL_ID, controlId));
    }
    return read;
  }

  private static void patient(Resource resource, List<MessageAttribute> read, Set<String> seen) {
    if (resource instanceof Patient patient) {
      for (Identifier identifier : patient.getIdentifier()) {
        if (identifier.hasValue()) {
          add(read, seen, Attributes.PATIENT_ID, identifier.getValue());
          add(read, seen, Attributes.PATIENT_IDENTIFIER, (identifier.hasSystem() ? identifier.getSystem() : "") + "|" + identifier.getValue());
        }
      }
      if (patient.hasName()) {
        HumanName name = patient.getNameFirstRep();
        String given = name.hasGiven() ? name.getGiven().get(0).getValue() : "";
        add(read, seen, Attributes.PATIENT_NAME, (name.hasFamily() ? name.getFamily() : "") + "^" + (given == null ? "" : given));
      }
      return;
    }
    for (String element : new String[] {"subject", "patient"}) {
      Property property = resource.getNamedProperty(element);
      if (property == null) {
        continue;
      }
      for (Base value : property.getValues()) {
        if (value instanceof Reference reference && reference.hasReference() && reference.getReference().startsWith("Patient/")) {
          add(read, seen, Attributes.PATIENT_REFERENCE, reference.getReference());
        }
      }
    }
  }

  private static void add(List<MessageAttribute> read, Set<String> seen, String name, String value) {
    if (value.length() <= MessageAttribute.MAX_VALUE && seen.add(name + "=" + value)) {
      read.add(new MessageAttribute(name, value));
    }
  }
}
