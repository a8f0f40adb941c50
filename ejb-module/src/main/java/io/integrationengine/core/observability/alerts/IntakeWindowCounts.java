package io.integrationengine.core.observability.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a channel stored (and rejected) over a sliding window, from counts per minute: a minute that
 * ended more than {@link #SETTLED} ago is counted once and kept, only the window's ragged start and
 * its last minutes are counted at each check. An error-rate rule over ten minutes, checked every five
 * seconds, counted every message of its window at each check: at 750 messages a second that was 4% of
 * the engine's CPU. A message is stored within moments of the time it was received, so a minute that
 * ended two minutes ago does not change any more.
 */
@ApplicationScoped
public class IntakeWindowCounts {

  /** How long after a minute's end its count is taken as final. */
  static final Duration SETTLED = Duration.ofMinutes(2);
  /** Minutes kept: the longest window an error-rate rule may reasonably have, a day, and an hour more. */
  private static final Duration KEPT = Duration.ofHours(25);

  /** Counts a channel's messages received in {@code [from, until)} ({@code until} null: up to now): received, rejected. */
  @FunctionalInterface
  public interface Counter {
    long[] count(String channel, Instant from, Instant until);
  }

  private final Map<String, long[]> minutes = new ConcurrentHashMap<>();

  /** Received and rejected messages of the channel (null: every channel) since {@code since}, as of {@code now}. */
  public long[] count(String channel, Instant since, Instant now, Counter counter) {
    Instant settled = now.minus(SETTLED).truncatedTo(ChronoUnit.MINUTES);
    Instant firstWhole = since.truncatedTo(ChronoUnit.MINUTES);
    if (firstWhole.isBefore(since)) {
      firstWhole = firstWhole.plus(1, ChronoUnit.MINUTES);
    }
    if (!firstWhole.isBefore(settled)) {
      return counter.count(channel, since, null);
    }
    long[] total = {0, 0};
    if (since.isBefore(firstWhole)) {
      add(total, counter.count(channel, since, firstWhole));
    }
    for (Instant minute = firstWhole; minute.isBefore(settled); minute = minute.plus(1, ChronoUnit.MINUTES)) {
      Instant from = minute;
      add(total, minutes.computeIfAbsent(key(channel, from), k -> counter.count(channel, from, from.plus(1, ChronoUnit.MINUTES))));
    }
    add(total, counter.count(channel, settled, null));
    long oldest = now.minus(KEPT).getEpochSecond() / 60;
    minutes.keySet().removeIf(k -> Long.parseLong(k.substring(0, k.indexOf('|'))) < oldest);
    return total;
  }

  /** How many minutes are kept (for tests). */
  int kept() {
    return minutes.size();
  }

  private static String key(String channel, Instant minute) {
    return minute.getEpochSecond() / 60 + "|" + (channel == null ? "" : "=" + channel);
  }

  private static void add(long[] total, long[] counts) {
    total[0] += counts[0];
    total[1] += counts[1];
  }
}
