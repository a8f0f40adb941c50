package io.integrationengine.core.observability.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The identity provider ({@code mp.jwt.verify.issuer}, Keycloak by default) serves its OpenID
 * configuration within two seconds. Without it no token can be had or checked: the API, the
 * pages and the FHIR repository refuse everyone (MLLP and file intake go on). An engine without
 * an identity provider reports that there is none.
 */
@Readiness
@ApplicationScoped
public class IdentityProviderCheck implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    Optional<String> issuer = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.issuer", String.class).map(String::strip).filter(s -> !s.isEmpty());
    if (issuer.isEmpty()) {
      return HealthCheckResponse.named("identity-provider").up().withData("issuer", "none configured").build();
    }
    String base = issuer.get().endsWith("/") ? issuer.get().substring(0, issuer.get().length() - 1) : issuer.get();
    URI configuration = URI.create(base + "/.well-known/openid-configuration");
    return Checks.probe("identity-provider", HealthCheckResponse.builder().withData("issuer", issuer.get()),
        () -> Checks.answersOk(configuration, "the identity provider"));
  }
}
