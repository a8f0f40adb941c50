package io.integrationengine.core.observability.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeWindowCountsTest {

  /** One message received every second from 10:00:00.5, every tenth rejected; records the ranges counted. */
  private final List<String> counted = new ArrayList<>();
  private final Instant first = Instant.parse("2026-11-28T10:00:00.500Z");

  private long[] count(String channel, Instant from, Instant until, Instant now) {
    counted.add(from + ".." + until);
    Instant end = until == null ? now : until;
    long received = 0;
    long rejected = 0;
    for (long s = 0; s < 7200; s++) {
      Instant at = first.plusSeconds(s);
      if (!at.isBefore(from) && at.isBefore(end)) {
        received++;
        if (s % 10 == 0) {
          rejected++;
        }
      }
    }
    return new long[] {received, rejected};
  }

  @Test
  void theWindowIsCountedExactlyAndSettledMinutesOnlyOnce() {
    IntakeWindowCounts windows = new IntakeWindowCounts();
    Instant now = Instant.parse("2026-11-28T10:30:20.250Z");
    Instant since = now.minus(Duration.ofMinutes(10));

    long[] counts = windows.count("mllp:default", since, now, (c, f, u) -> count(c, f, u, now));

    // 10:20:20.25 up to 10:30:20.25: the messages of 10:20:20.5 .. 10:30:19.5
    assertThat(counts).containsExactly(600, 60);
    assertThat(counted).as("the ragged start, the settled stretches 10:20:30..10:29:40 one by one, the rest up to now")
        .hasSize(1 + 56 + 1).first().isEqualTo(since + ".." + Instant.parse("2026-11-28T10:20:30Z"));
    assertThat(counted).last().isEqualTo("2026-11-28T10:29:50Z..null");

    counted.clear();
    Instant later = now.plusSeconds(5);
    long[] again = windows.count("mllp:default", later.minus(Duration.ofMinutes(10)), later, (c, f, u) -> count(c, f, u, later));

    assertThat(again).containsExactly(600, 60);
    assertThat(counted).as("five seconds later: the settled stretches are not counted again").hasSize(2);
  }

  @Test
  void aWindowWithinTheLastHalfMinuteIsCountedAsAWhole() {
    IntakeWindowCounts windows = new IntakeWindowCounts();
    Instant now = Instant.parse("2026-11-28T10:30:20.250Z");

    long[] counts = windows.count(null, now.minusSeconds(20), now, (c, f, u) -> count(c, f, u, now));

    assertThat(counts).containsExactly(20, 2);
    assertThat(counted).containsExactly(now.minusSeconds(20) + "..null");
    assertThat(windows.kept()).isZero();
  }

  @Test
  void channelsAreCountedApart() {
    IntakeWindowCounts windows = new IntakeWindowCounts();
    Instant now = Instant.parse("2026-11-28T10:30:20.250Z");
    windows.count("a", now.minus(Duration.ofMinutes(10)), now, (c, f, u) -> count(c, f, u, now));
    counted.clear();

    windows.count("b", now.minus(Duration.ofMinutes(10)), now, (c, f, u) -> count(c, f, u, now));

    assertThat(counted).hasSize(58);
    assertThat(windows.kept()).isEqualTo(112);
  }
}
