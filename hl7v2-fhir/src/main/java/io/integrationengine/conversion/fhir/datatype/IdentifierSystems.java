package io.integrationengine.conversion.fhir.datatype;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Identifier systems from an HD (assigning authority): an OID becomes {@code urn:oid:}, a URI or
 * UUID is kept, and a namespace listed in the FHIR identifier registry becomes its registered URI.
 * Anything else has no system; the authority's name goes to {@code assigner.display} instead, never
 * into an invented {@code urn:id:} system.
 */
public final class IdentifierSystems {

  private static final Map<String, String> REGISTRY =
      Map.ofEntries(
          Map.entry("SSA", "http://hl7.org/fhir/sid/us-ssn"),
          Map.entry("USSSA", "http://hl7.org/fhir/sid/us-ssn"),
          Map.entry("SSN", "http://hl7.org/fhir/sid/us-ssn"),
          Map.entry("NPI", "http://hl7.org/fhir/sid/us-npi"),
          Map.entry("NHS", "https://fhir.nhs.uk/Id/nhs-number"),
          Map.entry("MBI", "http://hl7.org/fhir/sid/us-mbi"),
          Map.entry("CLIA", "urn:oid:2.16.840.1.113883.4.7"));

  private IdentifierSystems() {}

  /**
   * @param namespaceId HD-1
   * @param universalId HD-2
   * @param universalIdType HD-3
   */
  public static String system(String namespaceId, String universalId, String universalIdType) {
    if (universalId != null) {
      String type = universalIdType == null ? "" : universalIdType.strip().toUpperCase(Locale.ROOT);
      switch (type) {
        case "ISO":
          if (CodingSystems.isOid(universalId)) {
            return "urn:oid:" + universalId;
          }
          break;
        case "URI":
        case "URL":
          if (universalId.matches("[a-zA-Z][a-zA-Z0-9+.-]*:\\S+")) {
            return universalId;
          }
          break;
        case "UUID":
        case "GUID":
          if (isUuid(universalId)) {
            return "urn:uuid:" + universalId.toLowerCase(Locale.ROOT);
          }
          break;
        default:
          if (type.isEmpty() && CodingSystems.isOid(universalId)) {
            return "urn:oid:" + universalId;
          }
      }
    }
    if (namespaceId != null) {
      String registered = REGISTRY.get(namespaceId.strip().toUpperCase(Locale.ROOT));
      if (registered != null) {
        return registered;
      }
      if (CodingSystems.isOid(namespaceId)) {
        return "urn:oid:" + namespaceId;
      }
    }
    return null;
  }

  private static boolean isUuid(String value) {
    try {
      return UUID.fromString(value).toString().equalsIgnoreCase(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
