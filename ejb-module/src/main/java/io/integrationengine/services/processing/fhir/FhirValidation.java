package io.integrationengine.services.processing.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Validates FHIR R4 resources with HAPI's instance validator, offline: base R4 (structure,
 * cardinality, invariants, required bindings to value sets the validator knows) plus an intake's
 * {@link FhirProfiles}. A validator is built once per set of profiles (it loads every R4
 * definition, seconds of work) and reused: HAPI's validator is thread-safe.
 */
@ApplicationScoped
public class FhirValidation {

  private static final Logger LOG = Logger.getLogger(FhirValidation.class.getName());

  @Inject
  FhirConversion conversion;

  private final Map<FhirProfiles, FhirValidator> validators = new ConcurrentHashMap<>();

  public FhirValidation() {}

  /** For tests. */
  public FhirValidation(FhirConversion conversion) {
    this.conversion = conversion;
  }

  /**
   * Every issue the validator finds in {@code text}, the resource as received (so locations carry
   * its line and column), and in each Bundle entry whose type has an enforced profile.
   *
   * @param parsed the same resource, parsed
   */
  public List<SingleValidationMessage> validate(String text, IBaseResource parsed, FhirProfiles profiles) {
    FhirValidator validator = validators.computeIfAbsent(profiles, this::build);
    String type = conversion.context().getResourceType(parsed);
    List<SingleValidationMessage> issues = new ArrayList<>(validator.validateWithResult(text, options(profiles.enforcedOn(type))).getMessages());
    if (parsed instanceof Bundle bundle) {
      for (int i = 0; i < bundle.getEntry().size(); i++) {
        Resource entry = bundle.getEntry().get(i).getResource();
        if (entry == null || profiles.enforcedOn(entry.fhirType()).isEmpty()) {
          continue;
        }
        // base R4 findings in this entry were reported by the first pass already
        String entryPrefix = "Bundle.entry[" + i + "]";
        Set<String> known = issues.stream()
            .filter(issue -> issue.getLocationString() != null && issue.getLocationString().startsWith(entryPrefix))
            .map(SingleValidationMessage::getMessage).collect(Collectors.toSet());
        for (SingleValidationMessage issue : validator.validateWithResult(entry, options(profiles.enforcedOn(entry.fhirType()))).getMessages()) {
          if ((issue.getSeverity() == ResultSeverityEnum.ERROR || issue.getSeverity() == ResultSeverityEnum.FATAL) && !known.contains(issue.getMessage())) {
            issue.setLocationString(inEntry(i, entry.fhirType(), issue.getLocationString()));
            issue.setLocationLine(null);
            issue.setLocationCol(null);
            issues.add(issue);
          }
        }
      }
    }
    return issues;
  }

  /** True if any issue makes the resource unacceptable. */
  public static boolean refuses(List<SingleValidationMessage> issues) {
    return issues.stream().anyMatch(i -> i.getSeverity() == ResultSeverityEnum.ERROR || i.getSeverity() == ResultSeverityEnum.FATAL);
  }

  /** Builds the base validator ahead of the first resource, which would otherwise wait seconds for it. */
  public void warmUp() {
    long started = System.nanoTime();
    FhirContext context = conversion.context();
    String patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}";
    validate(patient, context.newJsonParser().parseResource(patient), FhirProfiles.NONE);
    LOG.info(() -> "FHIR R4 validator ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  private static ValidationOptions options(List<String> profiles) {
    ValidationOptions options = new ValidationOptions();
    profiles.forEach(options::addProfile);
    return options;
  }

  /** {@code Patient.identifier[0]} in entry 2 is {@code Bundle.entry[2].resource.identifier[0]}. */
  private static String inEntry(int index, String type, String location) {
    String prefix = "Bundle.entry[" + index + "].resource";
    if (location == null || location.isEmpty() || location.equals(type)) {
      return prefix;
    }
    return prefix + (location.startsWith(type + ".") ? location.substring(type.length()) : "." + location);
  }

  private FhirValidator build(FhirProfiles profiles) {
    FhirContext context = conversion.context();
    PrePopulatedValidationSupport configured = new PrePopulatedValidationSupport(context);
    profiles.resources().forEach(configured::addResource);
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        configured,
        new SnapshotGeneratingValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    FhirValidator validator = context.newValidator();
    validator.registerValidatorModule(new FhirInstanceValidator(chain));
    return validator;
  }
}
