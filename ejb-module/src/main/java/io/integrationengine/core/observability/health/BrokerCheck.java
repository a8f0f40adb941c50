package io.integrationengine.core.observability.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The broker (OpenMQ) takes a connection and can browse the route queue. Without it, stored
 * messages wait for routing recovery instead of being routed at once.
 */
@Readiness
@ApplicationScoped
public class BrokerCheck implements HealthCheck {

  @Resource(lookup = "jms/engine/ConnectionFactory")
  ConnectionFactory factory;

  @Resource(lookup = "jms/engine/RouteQueue")
  Queue routeQueue;

  @Override
  public HealthCheckResponse call() {
    return Checks.probe("broker", HealthCheckResponse.builder().withData("queue", "jms/engine/RouteQueue"), () -> {
      try (Connection c = factory.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE); QueueBrowser b = s.createBrowser(routeQueue)) {
        b.getEnumeration();
        return null;
      }
    });
  }
}
