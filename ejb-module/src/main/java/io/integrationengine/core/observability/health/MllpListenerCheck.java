package io.integrationengine.core.observability.health;

import io.integrationengine.mllp.api.MllpListenerStatus;
import io.integrationengine.mllp.api.MllpListenerStatus.State;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * One MLLP listener is bound and accepting, as its resource adapter last recorded. A listener
 * switched off by its settings is up (and says so): it is not supposed to listen. One subclass per
 * listener bean, so each has its own check named {@code mllp-<listener>}.
 */
abstract class MllpListenerCheck implements HealthCheck {

  private final String listener;

  MllpListenerCheck(String listener) {
    this.listener = listener;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("mllp-" + listener);
    Optional<MllpListenerStatus.Status> status = MllpListenerStatus.of(listener);
    if (status.isEmpty()) {
      return response.down().withData("reason", "listener '" + listener + "' was never activated (its bean did not start: see server.log)").build();
    }
    MllpListenerStatus.Status s = status.get();
    if (s.address() != null) {
      response.withData("address", s.address());
    }
    response.withData("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
    if (s.state() == State.LISTENING || s.state() == State.DISABLED) {
      return response.up().build();
    }
    return response.down().withData("reason", "listener '" + listener + "' " + s.detail()).build();
  }
}
