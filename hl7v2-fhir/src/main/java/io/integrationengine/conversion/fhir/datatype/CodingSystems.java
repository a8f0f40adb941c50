package io.integrationengine.conversion.fhir.datatype;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HL7 table 0396 coding-system names (CWE-3, CWE-6) to FHIR code-system URIs, after the IG's
 * CWE[CodeableConcept] mapping and the terminology.hl7.org naming registry. Unknown local names
 * give no system at all: inventing a URI would claim an identity the sender never declared.
 */
public final class CodingSystems {

  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9]\\d*))+");
  private static final Pattern V2_TABLE = Pattern.compile("HL7(\\d{4})");

  private static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("LN", "http://loinc.org"),
          Map.entry("LOINC", "http://loinc.org"),
          Map.entry("SCT", "http://snomed.info/sct"),
          Map.entry("SNM", "http://snomed.info/sct"),
          Map.entry("SNOMED", "http://snomed.info/sct"),
          Map.entry("SNOMEDCT", "http://snomed.info/sct"),
          Map.entry("I9", "http://hl7.org/fhir/sid/icd-9-cm"),
          Map.entry("I9C", "http://hl7.org/fhir/sid/icd-9-cm"),
          Map.entry("I9CDX", "http://hl7.org/fhir/sid/icd-9-cm"),
          Map.entry("I10", "http://hl7.org/fhir/sid/icd-10"),
          Map.entry("I10C", "http://hl7.org/fhir/sid/icd-10-cm"),
          Map.entry("ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm"),
          Map.entry("I10P", "http://www.cms.gov/Medicare/Coding/ICD10"),
          Map.entry("CVX", "http://hl7.org/fhir/sid/cvx"),
          Map.entry("MVX", "http://terminology.hl7.org/CodeSystem/MVX"),
          Map.entry("NDC", "http://hl7.org/fhir/sid/ndc"),
          Map.entry("RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm"),
          Map.entry("RXN", "http://www.nlm.nih.gov/research/umls/rxnorm"),
          Map.entry("CPT", "http://www.ama-assn.org/go/cpt"),
          Map.entry("C4", "http://www.ama-assn.org/go/cpt"),
          Map.entry("UCUM", "http://unitsofmeasure.org"),
          Map.entry("NUCC", "http://nucc.org/provider-taxonomy"),
          Map.entry("CDCREC", "urn:oid:2.16.840.1.113883.6.238"),
          Map.entry("NCIT", "http://ncimeta.nci.nih.gov"),
          Map.entry("ISO3166_1", "urn:iso:std:iso:3166"),
          Map.entry("ISO+", "urn:iso:std:iso:11073:10101"),
          Map.entry("HCPCS", "http://terminology.hl7.org/CodeSystem/HCPCS"));

  /** The v2 name written for a URI (table 0396's preferred name first). */
  private static final Map<String, String> PREFERRED_NAME =
      Map.ofEntries(
          Map.entry("http://loinc.org", "LN"),
          Map.entry("http://snomed.info/sct", "SCT"),
          Map.entry("http://hl7.org/fhir/sid/icd-9-cm", "I9CDX"),
          Map.entry("http://hl7.org/fhir/sid/icd-10", "I10"),
          Map.entry("http://hl7.org/fhir/sid/icd-10-cm", "I10C"),
          Map.entry("http://www.nlm.nih.gov/research/umls/rxnorm", "RXN"),
          Map.entry("http://www.ama-assn.org/go/cpt", "C4"));

  private CodingSystems() {}

  /**
   * The v2 coding-system name for a FHIR system URI ({@code http://loinc.org} to {@code LN}, a v2
   * table's URI to {@code HL7nnnn}), or null when none is known.
   */
  public static String v2Name(String uri) {
    if (uri == null) {
      return null;
    }
    String preferred = PREFERRED_NAME.get(uri);
    if (preferred != null) {
      return preferred;
    }
    String table = "http://terminology.hl7.org/CodeSystem/v2-";
    if (uri.startsWith(table) && uri.substring(table.length()).matches("\\d{4}")) {
      return "HL7" + uri.substring(table.length());
    }
    return KNOWN.entrySet().stream()
        .filter(e -> e.getValue().equals(uri))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElse(null);
  }

  /** The FHIR system for a v2 coding-system name, or null when none is known. */
  public static String uri(String v2Name) {
    if (v2Name == null) {
      return null;
    }
    String name = v2Name.strip();
    String known = KNOWN.get(name.toUpperCase(Locale.ROOT));
    if (known != null) {
      return known;
    }
    var table = V2_TABLE.matcher(name.toUpperCase(Locale.ROOT));
    if (table.matches()) {
      return "http://terminology.hl7.org/CodeSystem/v2-" + table.group(1);
    }
    if (OID.matcher(name).matches()) {
      return "urn:oid:" + name;
    }
    return null;
  }

  /**
   * An OID FHIR accepts: well formed, and (as the R4 validator requires) with at least three arcs
   * of some length, which rules out HL7 version numbers such as "2.8" sent in the OID component.
   */
  public static boolean isOid(String value) {
    return value != null
        && OID.matcher(value).matches()
        && (value.lastIndexOf('.') >= 4 || value.startsWith("1.3"));
  }

  /** Whether a code may be sent with the system of its v2 table: the table must list it. */
  public static boolean inTable(String systemUri, String code) {
    if (systemUri == null || !systemUri.startsWith(V2_PREFIX)) {
      return true;
    }
    java.util.Set<String> codes = V2_TABLES.get(systemUri.substring(V2_PREFIX.length() - 3));
    return codes == null || codes.contains(code);
  }

  private static final String V2_PREFIX = "http://terminology.hl7.org/CodeSystem/v2-";
  private static final Map<String, java.util.Set<String>> V2_TABLES = loadTables();

  private static Map<String, java.util.Set<String>> loadTables() {
    String resource = "/io/integrationengine/conversion/fhir/v2-table-codes.tsv";
    java.util.Map<String, java.util.Set<String>> tables = new java.util.HashMap<>();
    try (var in = CodingSystems.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource);
      }
      var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\t");
        tables.put(
            parts[0], java.util.Set.of(java.util.Arrays.copyOfRange(parts, 1, parts.length)));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Map.copyOf(tables);
  }
}
