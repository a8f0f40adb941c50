package io.integrationengine.core.observability.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

  @Override
  public HealthCheckResponse call() {
    Optional<String> issuer = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.issuer", String.class).map(String::strip).filter(s -> !s.isEmpty());
    if (issuer.isEmpty()) {
      return HealthCheckResponse.named("identity-provider").up().withData("issuer", "none configured").build();
    }
    String base = issuer.get().endsWith("/") ? issuer.get().substring(0, issuer.get().length() - 1) : issuer.get();
    URI configuration = URI.create(base + "/.well-known/openid-configuration");
    return Checks.probe("identity-provider", HealthCheckResponse.builder().withData("issuer", issuer.get()), () -> {
      int status = http.send(HttpRequest.newBuilder(configuration).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return status == 200 ? null : "the identity provider answered " + status + " to GET " + configuration;
    });
  }
}
