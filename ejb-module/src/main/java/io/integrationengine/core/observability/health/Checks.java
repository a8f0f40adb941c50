package io.integrationengine.core.observability.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** What every check does: run a probe, and when it fails say why (the exception's message and type), never just DOWN. */
final class Checks {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

  private Checks() {}

  /** A probe of an HTTP endpoint: null when {@code GET url} answers 200 within two seconds, else what it answered. */
  static String answersOk(URI url, String who) throws Exception {
    int status = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    return status == 200 ? null : who + " answered " + status + " to GET " + url;
  }

  /** The probe returns null when all is well, else the reason it is not. */
  static HealthCheckResponse probe(String name, HealthCheckResponseBuilder up, Callable<String> probe) {
    String problem;
    try {
      problem = probe.call();
    } catch (Exception e) {
      problem = describe(e);
    }
    return problem == null ? up.name(name).up().build() : up.name(name).down().withData("reason", problem).build();
  }

  static String describe(Throwable e) {
    StringBuilder reason = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
    // the root cause says most (connection refused, timeout), the wrapper where it happened
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e) {
      reason.append(" (cause: ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
    }
    return reason.toString();
  }
}
