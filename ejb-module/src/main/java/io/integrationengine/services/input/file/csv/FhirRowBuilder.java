package io.integrationengine.services.input.file.csv;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.util.FhirTerser;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds the FHIR R4 resources of a CSV row with HAPI FHIR's model and {@link FhirTerser}: one
 * resource of each type the mapping lists, the fixed values, then each column's value at its
 * element path ({@code Patient.name.family}, {@code Observation.valueCodeableConcept.coding.code};
 * missing elements are created, an existing one is reused, so {@code Patient.name.given} and
 * {@code Patient.name.family} fill one name). When the row makes a Patient, the other resources'
 * {@code subject} (or {@code patient}) refers to it. The resources go into a {@code transaction}
 * Bundle (entries POSTed, referring to each other by {@code urn:uuid} full URLs) or a
 * {@code collection} Bundle, or stand alone ({@code bundle = none}).
 */
final class FhirRowBuilder {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  /** The identifier system of the Bundles made from CSV rows; the value is the record's control id. */
  static final String IDENTIFIER_SYSTEM = "urn:integration-engine:file-record";

  private FhirRowBuilder() {}

  /** Checks that each resource type exists and every target is an element path of one of them. */
  static void check(CsvMapping mapping) {
    Map<String, Resource> resources;
    try {
      resources = newResources(mapping);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("resources: " + e.getMessage());
    }
    for (Map.Entry<String, String> fixed : mapping.fixed().entrySet()) {
      trySet(resources, fixed.getKey(), fixed.getValue(), "fixed." + fixed.getKey());
    }
    for (CsvColumn column : mapping.columns()) {
      Object sample = switch (column.type()) {
        case DATE -> LocalDate.of(2020, 1, 31);
        case DATETIME -> OffsetDateTime.parse("2020-01-31T12:00:00Z");
        case INTEGER, NUMBER -> BigDecimal.ONE;
        default -> "x";
      };
      for (String target : column.targets()) {
        trySet(resources, target, text(sample), "column." + column.name());
      }
    }
  }

  private static void trySet(Map<String, Resource> resources, String target, String value, String key) {
    try {
      set(resources, target, value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": '" + target + "': " + e.getMessage());
    }
  }

  /** The row's resource or Bundle. */
  static Resource build(CsvMapping mapping, Map<CsvColumn, Object> values, String controlId) {
    Map<String, Resource> resources = newResources(mapping);
    for (Map.Entry<String, String> fixed : mapping.fixed().entrySet()) {
      set(resources, fixed.getKey(), fixed.getValue());
    }
    for (Map.Entry<CsvColumn, Object> value : values.entrySet()) {
      if (value.getValue() == null) {
        continue;
      }
      for (String target : value.getKey().targets()) {
        set(resources, target, text(value.getValue()));
      }
    }
    Map<String, String> fullUrls = new LinkedHashMap<>();
    resources.keySet().forEach(type -> fullUrls.put(type, "urn:uuid:" + UUID.randomUUID()));
    if (mapping.bundle().equals("none")) {
      return resources.values().iterator().next();
    }
    if (resources.containsKey("Patient")) {
      for (Resource resource : resources.values()) {
        linkToPatient(resource, fullUrls.get("Patient"));
      }
    }
    Bundle bundle = new Bundle();
    bundle.setType(mapping.bundle().equals("transaction") ? Bundle.BundleType.TRANSACTION : Bundle.BundleType.COLLECTION);
    bundle.getIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(controlId);
    for (Map.Entry<String, Resource> resource : resources.entrySet()) {
      Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrls.get(resource.getKey())).setResource(resource.getValue());
      if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
        entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.getKey());
      }
    }
    return bundle;
  }

  static String json(Resource resource) {
    return FHIR.newJsonParser().encodeResourceToString(resource);
  }

  static String text(Object value) {
    if (value instanceof OffsetDateTime time) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    if (value instanceof BigDecimal number) {
      return number.toPlainString();
    }
    return value.toString();
  }

  private static Map<String, Resource> newResources(CsvMapping mapping) {
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (String type : mapping.resources()) {
      RuntimeResourceDefinition definition;
      try {
        definition = FHIR.getResourceDefinition(type);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + type + "' is not an R4 resource type");
      }
      resources.put(definition.getName(), (Resource) definition.newInstance());
    }
    return resources;
  }

  /** Sets the value at {@code Type.path}, creating the elements on the way (HAPI's Terser). */
  private static void set(Map<String, Resource> resources, String target, String value) {
    int dot = target.indexOf('.');
    String type = dot < 0 ? target : target.substring(0, dot);
    Resource resource = resources.get(type);
    if (resource == null || dot < 0) {
      throw new IllegalArgumentException("a target is an element path starting with one of the resources " + resources.keySet() + ", such as "
          + resources.keySet().iterator().next() + ".id");
    }
    FHIR.newTerser().setElement(resource, target.substring(dot + 1), value);
  }

  private static void linkToPatient(Resource resource, String patientReference) {
    if (resource.fhirType().equals("Patient")) {
      return;
    }
    RuntimeResourceDefinition definition = FHIR.getResourceDefinition(resource);
    for (String name : List.of("subject", "patient")) {
      BaseRuntimeChildDefinition child = definition.getChildByName(name);
      if (child != null && child.getAccessor().getValues(resource).isEmpty()) {
        try {
          child.getMutator().setValue(resource, new Reference(patientReference));
          return;
        } catch (RuntimeException e) {
          // not a reference that may point at a Patient here: left alone
        }
      }
    }
  }
}
