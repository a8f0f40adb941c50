package io.integrationengine.conversion.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Bundle produced from the whole sample corpus, in both Bundle kinds, validates against base
 * R4 with zero errors. The validator is offline (core definitions and terminology shipped in the
 * jars) and built once: it takes seconds to start.
 */
class CorpusValidationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static FhirValidator validator;
  private final Hl7v2ToFhirConverter converter = new Hl7v2ToFhirConverter();

  @BeforeAll
  static void buildValidator() {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(FHIR),
            new InMemoryTerminologyServerValidationSupport(FHIR),
            new CommonCodeSystemsTerminologyService(FHIR),
            new SnapshotGeneratingValidationSupport(FHIR));
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setNoTerminologyChecks(false);
    module.setAnyExtensionsAllowed(true);
    validator = FHIR.newValidator().registerValidatorModule(module);
  }

  static List<String> errors(Bundle bundle) {
    ValidationResult result = validator.validateWithResult(bundle);
    List<String> errors = new ArrayList<>();
    for (SingleValidationMessage m : result.getMessages()) {
      if (m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
        errors.add(m.getLocationString() + ": " + m.getMessage());
      }
    }
    return errors;
  }

  /**
   * A FHIR server rejects a transaction that names one conditional URL twice; the validator does
   * not check it.
   */
  static List<String> repeatedConditionalUrls(Bundle bundle) {
    Map<String, Integer> urls = new TreeMap<>();
    bundle.getEntry().stream()
        .filter(e -> e.hasRequest() && e.getRequest().getMethod() == Bundle.HTTPVerb.PUT)
        .forEach(e -> urls.merge(e.getRequest().getUrl(), 1, Integer::sum));
    return urls.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(e -> "conditional URL repeated " + e.getValue() + " times: " + e.getKey())
        .toList();
  }

  /**
   * Guards the guard: the validator as configured here does catch the faults other converters make.
   */
  @Test
  void validatorCatchesTelecomWithoutSystemAndUnknownTableCodes() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
    patient.addTelecom().setValue("555-1234");
    patient
        .addIdentifier()
        .setValue("1")
        .getType()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203")
        .setCode("NOT-A-CODE");
    bundle
        .addEntry()
        .setFullUrl("urn:uuid:0b7a5a4e-7a1d-4a3b-9d55-5d4c9f1f1a11")
        .setResource(patient);
    List<String> errors = errors(bundle);
    assertThat(errors).anyMatch(e -> e.contains("cpt-2"));
    assertThat(errors).anyMatch(e -> e.contains("NOT-A-CODE"));
  }

  /**
   * Fuzzer-found inputs that once crashed or hung nHapi: each is rejected with a
   * ConversionException or converted to a valid Bundle, quickly, never anything else.
   */
  @Test
  void malformedInputIsRejectedCleanlyOrConvertedToAValidBundle() throws Exception {
    Path root = Path.of(getClass().getResource("/malformed").toURI());
    List<Path> files;
    try (var walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(30);
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      ConversionResult result =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () -> {
                try {
                  return converter.convert(text);
                } catch (ConversionException e) {
                  return null;
                }
              },
              file.toString());
      if (result != null) {
        assertThat(errors(result.bundle())).as(file.toString()).isEmpty();
      }
    }
  }

  @Test
  void everyBundleFromTheCorpusValidatesWithoutErrors() {
    Map<String, List<String>> failures = new TreeMap<>();
    int total = 0;
    int converted = 0;
    int notConvertible = 0;
    for (Corpus.Sample sample : Corpus.all()) {
      for (BundleKind kind : BundleKind.values()) {
        total++;
        ConversionResult result;
        try {
          result = converter.convert(sample.text(), ConversionOptions.of(kind));
        } catch (ConversionException e) {
          notConvertible++;
          failures.put(sample.name() + " " + kind, List.of("not convertible: " + e.getMessage()));
          continue;
        }
        converted++;
        List<String> errors = new ArrayList<>(errors(result.bundle()));
        errors.addAll(repeatedConditionalUrls(result.bundle()));
        if (!errors.isEmpty()) {
          failures.put(sample.name() + " " + kind, errors);
        }
      }
    }
    StringBuilder report = new StringBuilder();
    failures.forEach(
        (name, errors) ->
            report
                .append(name)
                .append('\n')
                .append(String.join("\n", errors.stream().limit(8).map(e -> "    " + e).toList()))
                .append('\n'));
    System.out.printf(
        "Corpus validation: %d bundles, %d converted, %d with 0 errors, %d not convertible%n",
        total, converted, converted - (failures.size() - notConvertible), notConvertible);
    System.out.print(report);
    assertThat(failures).as(report.toString()).isEmpty();
  }
}
