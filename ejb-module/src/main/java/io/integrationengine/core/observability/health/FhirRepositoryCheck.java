package io.integrationengine.core.observability.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The built-in FHIR repository ({@code /fhir} on this server's HTTP listener) answers its
 * capability statement within two seconds. It starts about a minute after the pipeline; until it
 * answers, the demo route to it retries its deliveries, and the engine is not ready. The port is
 * {@code engine.http.port} (set by {@code ./engine}); without it the check reports that it did not
 * look.
 */
@Readiness
@ApplicationScoped
public class FhirRepositoryCheck implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    Optional<Integer> port = ConfigProvider.getConfig().getOptionalValue("engine.http.port", Integer.class);
    if (port.isEmpty()) {
      return HealthCheckResponse.named("fhir-repository").up().withData("checked", "no: engine.http.port is not set").build();
    }
    URI metadata = URI.create("http://127.0.0.1:" + port.get() + "/fhir/metadata");
    return Checks.probe("fhir-repository", HealthCheckResponse.builder().withData("url", metadata.toString()),
        () -> Checks.answersOk(metadata, "the FHIR repository (still starting, or failed: see server.log)"));
  }
}
