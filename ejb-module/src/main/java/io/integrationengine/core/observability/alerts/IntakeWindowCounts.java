package io.integrationengine.core.observability.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a channel stored (and rejected) over a sliding window, from counts per ten seconds: a
 * stretch that ended more than {@link #SETTLED} ago is counted once and kept; only the window's
 * ragged start and its last half minute are counted at each check. An error-rate rule over ten
 * minutes, checked every five seconds, counted every message of its window at each check: at 750
 * messages a second that was 4% of the engine's CPU, and with minutes settled after two minutes
 * still 40 ms a second while idle after a burst. A message is stored within moments of the time it
 * was received (a file's records within their chunk's commit), so a stretch that ended half a minute
 * ago does not change any more.
 */
@ApplicationScoped
public class IntakeWindowCounts {

  /** The stretches counted and kept, in seconds. */
  static final long STRETCH_SECONDS = 10;
  /** How long after a stretch's end its count is taken as final. */
  static final Duration SETTLED = Duration.ofSeconds(30);
  /** Stretches kept: the longest window an error-rate rule may reasonably have, a day, and an hour more. */
  private static final Duration KEPT = Duration.ofHours(25);

  /** Counts a channel's messages received in {@code [from, until)} ({@code until} null: up to now): received, rejected. */
  @FunctionalInterface
  public interface Counter {
    long[] count(String channel, Instant from, Instant until);
  }

  /** A channel's stretch (channel null: every channel). */
  private record Stretch(String channel, long startSecond) {}

  private final Map<Stretch, long[]> stretches = new ConcurrentHashMap<>();

  /** Received and rejected messages of the channel (null: every channel) since {@code since}, as of {@code now}. */
  public long[] count(String channel, Instant since, Instant now, Counter counter) {
    Instant settled = start(now.minus(SETTLED));
    Instant firstWhole = start(since);
    if (firstWhole.isBefore(since)) {
      firstWhole = firstWhole.plusSeconds(STRETCH_SECONDS);
    }
    if (!firstWhole.isBefore(settled)) {
      return counter.count(channel, since, null);
    }
    long[] total = {0, 0};
    if (since.isBefore(firstWhole)) {
      add(total, counter.count(channel, since, firstWhole));
    }
    for (Instant stretch = firstWhole; stretch.isBefore(settled); stretch = stretch.plusSeconds(STRETCH_SECONDS)) {
      Instant from = stretch;
      add(total, stretches.computeIfAbsent(new Stretch(channel, from.getEpochSecond()), k -> counter.count(channel, from, from.plusSeconds(STRETCH_SECONDS))));
    }
    add(total, counter.count(channel, settled, null));
    long oldest = now.minus(KEPT).getEpochSecond();
    stretches.keySet().removeIf(k -> k.startSecond() < oldest);
    return total;
  }

  /** How many stretches are kept (for tests). */
  int kept() {
    return stretches.size();
  }

  /** The start of the stretch that holds the instant. */
  private static Instant start(Instant t) {
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), STRETCH_SECONDS) * STRETCH_SECONDS);
  }

  private static void add(long[] total, long[] counts) {
    total[0] += counts[0];
    total[1] += counts[1];
  }
}
