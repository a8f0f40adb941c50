package io.integrationengine.services.processing.fhir;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the FHIR validator in the background once the application has started, so the first
 * resource posted to the intake does not wait the seconds it takes to load every R4 definition.
 */
@Singleton
@Startup
public class FhirValidatorWarmUp {

  private static final Logger LOG = Logger.getLogger(FhirValidatorWarmUp.class.getName());

  @Inject
  FhirValidation validation;

  @Resource
  ManagedExecutorService executor;

  @PostConstruct
  void start() {
    executor.submit(() -> {
      try {
        validation.warmUp();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "The FHIR validator could not be prepared ahead; the first FHIR resource posted prepares it", e);
      }
    });
  }
}
