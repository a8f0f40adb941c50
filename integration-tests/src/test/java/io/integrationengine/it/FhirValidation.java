package io.integrationengine.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI FHIR's validator against base R4, offline (core definitions and terminology from the jars),
 * set up as in the hl7v2-fhir module's corpus test. Built once: it takes seconds.
 */
final class FhirValidation {

  static final FhirContext R4 = FhirContext.forR4Cached();
  private static FhirValidator validator;

  private FhirValidation() {}

  /** The errors (and fatal errors) the validator reports, each with its location. */
  static synchronized List<String> errors(IBaseResource resource) {
    if (validator == null) {
      ValidationSupportChain chain = new ValidationSupportChain(
          new DefaultProfileValidationSupport(R4),
          new InMemoryTerminologyServerValidationSupport(R4),
          new CommonCodeSystemsTerminologyService(R4),
          new SnapshotGeneratingValidationSupport(R4));
      FhirInstanceValidator module = new FhirInstanceValidator(chain);
      module.setNoTerminologyChecks(false);
      module.setAnyExtensionsAllowed(true);
      validator = R4.newValidator().registerValidatorModule(module);
    }
    return validator.validateWithResult(resource).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(FhirValidation::describe)
        .toList();
  }

  private static String describe(SingleValidationMessage m) {
    return m.getLocationString() + ": " + m.getMessage();
  }
}
