package io.integrationengine.core.observability.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Fires while more than {@code threshold} (a share, 0.05 for 5 %) of the messages a channel (or,
 * without one, every channel) stored over the last {@code window} were rejected at intake, once at
 * least {@code minMessages} arrived in that window (a single bad message among two is no rate).
 */
public record ErrorRateCondition(String channel, Duration window, double threshold, long minMessages) implements AlertCondition {

  @Override
  public Check check(AlertFacts facts, Instant now) {
    AlertFacts.Intake intake = facts.intake(channel, now.minus(window));
    double rate = intake.received() == 0 ? 0 : (double) intake.rejected() / intake.received();
    String detail = String.format(Locale.ROOT, "%d of %d messages rejected%s in the last %s (%.1f %%; threshold %.1f %%, from %d messages)", intake.rejected(),
        intake.received(), channel == null ? "" : " on " + channel, AlertRule.describe(window), rate * 100, threshold * 100, minMessages);
    return intake.received() >= minMessages && rate > threshold ? new Firing(rate, detail) : new Clear(rate, detail);
  }
}
