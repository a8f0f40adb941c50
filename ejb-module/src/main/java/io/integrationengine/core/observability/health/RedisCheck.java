package io.integrationengine.core.observability.health;

import io.integrationengine.core.queues.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Redis (delivery queues, duplicate records) answers a PING within two seconds. While it does not,
 * intake still stores and acknowledges, but nothing is delivered: the engine is not ready.
 */
@Readiness
@ApplicationScoped
public class RedisCheck implements HealthCheck {

  @Inject
  RedisConnection redis;

  @Override
  public HealthCheckResponse call() {
    String address = redis.settings().redisAddress();
    return Checks.probe("redis", HealthCheckResponse.builder().withData("address", address), () ->
        redis.client().getRedisNodes(RedisNodes.SINGLE).pingAll(2, TimeUnit.SECONDS) ? null : "Redis at " + address + " did not answer PING within 2 s");
  }
}
