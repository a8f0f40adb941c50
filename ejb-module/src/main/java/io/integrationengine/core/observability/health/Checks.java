package io.integrationengine.core.observability.health;

import java.util.concurrent.Callable;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** What every check does: run a probe, and when it fails say why (the exception's message and type), never just DOWN. */
final class Checks {

  private Checks() {}

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
