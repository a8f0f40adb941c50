package io.integrationengine.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsAreCumulativeByUpperBoundAndCountAndSumAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordNanos(500_000); // 0.5 ms
    h.recordNanos(1_000_000); // exactly 1 ms: in the 0.001 bucket (le means at most)
    h.recordNanos(3_000_000); // 3 ms
    h.recordNanos(7_200_000_000_000L); // two hours: only +Inf

    assertThat(LatencyHistogram.BOUNDS[0]).isEqualTo(0.001);
    assertThat(h.cumulativeCount(0)).isEqualTo(2);
    assertThat(h.cumulativeCount(1)).isEqualTo(2);
    assertThat(h.cumulativeCount(2)).isEqualTo(3);
    assertThat(h.cumulativeCount(LatencyHistogram.BOUNDS.length - 1)).isEqualTo(3);
    assertThat(h.count()).isEqualTo(4);
    assertThat(h.sumSeconds()).isCloseTo(7200.0045, within(1e-9));
  }

  @Test
  void aNegativeDurationCountsAsZero() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordNanos(-5);
    assertThat(h.cumulativeCount(0)).isEqualTo(1);
    assertThat(h.sumSeconds()).isZero();
  }
}
