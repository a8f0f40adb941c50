package io.integrationengine.core.observability.health;

import io.integrationengine.services.input.file.sftp.SftpChannelState;
import io.integrationengine.services.input.file.sftp.SftpPoller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The SFTP channels' polling, one data entry per channel ({@code ok}, or {@code error: <why>}, with
 * its last successful poll and the files it took) and {@code failing}, how many are in error. Always
 * up: an SFTP server out of reach or refusing the engine is the other side's outage, like a
 * destination's, and the engine still takes and delivers everything else, so it must not take the
 * engine out of a load balancer. Alert on {@code failing} (or on {@code /api/channels}) instead.
 */
@Readiness
@ApplicationScoped
public class SftpChannelsCheck implements HealthCheck {

  @Inject
  SftpPoller poller;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("sftp-channels");
    Map<String, SftpChannelState> states;
    try {
      states = poller.states();
    } catch (RuntimeException e) {
      return response.up().withData("failing", -1).withData("reason", "the channels' state cannot be read: " + Checks.describe(e)).build();
    }
    long failing = states.values().stream().filter(s -> s.condition() == SftpChannelState.Condition.ERROR).count();
    response.withData("channels", states.size()).withData("failing", failing);
    states.forEach((channel, state) -> response.withData(channel, state.summary()));
    return response.up().build();
  }
}
