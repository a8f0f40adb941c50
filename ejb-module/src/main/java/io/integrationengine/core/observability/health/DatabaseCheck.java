package io.integrationengine.core.observability.health;

import jakarta.annotation.Resource;
import io.integrationengine.core.services.H2Housekeeping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The message store ({@code jdbc/engine}) hands out a connection that answers within two seconds.
 * Without it nothing is acknowledged. On H2 the data also says how large its file is
 * ({@code h2FileBytes}) and how much of it is live data ({@code h2ChunksFillRate}, percent; see
 * {@link H2Housekeeping}).
 */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Inject
  H2Housekeeping h2;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.builder().withData("dataSource", "jdbc/engine");
    H2Housekeeping.FileState file = h2.lastSeen();
    if (file != null) {
      response.withData("h2FileBytes", file.bytes()).withData("h2ChunksFillRate", file.chunksFillRate());
    }
    return Checks.probe("database", response, () -> {
      try (Connection c = store.getConnection()) {
        return c.isValid(2) ? null : "a connection from jdbc/engine did not answer within 2 s";
      }
    });
  }
}
