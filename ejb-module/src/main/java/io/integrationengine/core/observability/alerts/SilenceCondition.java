package io.integrationengine.core.observability.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fires when a channel has stored no message for {@code quiet}, counted within its watched hours
 * only: at 07:10 with hours 07:00-19:00 and 30 minutes it is not silent yet, whatever happened
 * overnight. Outside the hours nothing opens; an open alert still clears when a message arrives.
 */
public record SilenceCondition(String channel, Duration quiet, ActiveHours hours) implements AlertCondition {

  @Override
  public Check check(AlertFacts facts, Instant now) {
    Instant since = now.minus(quiet);
    Optional<Instant> last = facts.lastReceived(channel, since);
    if (last.isPresent()) {
      return new Clear(0, "last message on " + channel + " at " + last.get());
    }
    Optional<Instant> period = hours.periodStart(now);
    if (period.isEmpty()) {
      return new Unknown(0, "outside the watched hours of " + channel);
    }
    Instant watchedFrom = period.get().isAfter(since) ? period.get() : since;
    if (period.get().isAfter(since)) {
      return new Unknown(Duration.between(watchedFrom, now).toSeconds() / 60.0, "watched hours began less than " + AlertRule.describe(quiet) + " ago");
    }
    // the same detail while the silence lasts, so an open alert is not rewritten every round; the last
    // message's time is not looked for (over a TLS channel's senders that is a scan): /api/messages shows it
    return new Firing(quiet.toSeconds() / 60.0, "no message on channel " + channel + " for " + AlertRule.describe(quiet) + " or more");
  }
}
