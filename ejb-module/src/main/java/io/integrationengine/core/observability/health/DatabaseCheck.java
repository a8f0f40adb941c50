package io.integrationengine.core.observability.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The message store ({@code jdbc/engine}) hands out a connection that answers within two seconds. Without it nothing is acknowledged. */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Override
  public HealthCheckResponse call() {
    return Checks.probe("database", HealthCheckResponse.builder().withData("dataSource", "jdbc/engine"), () -> {
      try (Connection c = store.getConnection()) {
        return c.isValid(2) ? null : "a connection from jdbc/engine did not answer within 2 s";
      }
    });
  }
}
