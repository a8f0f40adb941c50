package io.integrationengine.core.observability.health;

import io.integrationengine.services.output.DeliveryScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the delivery scheduler still ticks (every 100 ms; down after 30 s without one). Its
 * thread stuck or its executor gone means no delivery until a restart, whatever Redis and the
 * destinations do; an outage of those leaves it ticking, so they never make the engine "dead".
 */
@Liveness
@ApplicationScoped
public class DeliverySchedulerCheck implements HealthCheck {

  private static final long STALE_MILLIS = 30_000;

  @Inject
  DeliveryScheduler scheduler;

  @Override
  public HealthCheckResponse call() {
    long since = scheduler.millisSinceLastTick();
    var response = HealthCheckResponse.named("delivery-scheduler").withData("millisSinceLastTick", since);
    return since < STALE_MILLIS ? response.up().build()
        : response.down().withData("reason", "the delivery scheduler has not ticked for " + since / 1000 + " s (expected every 100 ms): restart the engine").build();
  }
}
