package io.integrationengine.core.observability;

import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative latency histogram with fixed buckets, recorded without locks or allocation
 * ({@link LongAdder}s, one per bucket), read at scrape time as Prometheus reads a histogram:
 * cumulative bucket counts by upper bound, a count and a sum in seconds. Unlike a sampling
 * reservoir, its counts are exact since the start and can be summed across instances.
 */
public final class LatencyHistogram {

  /** Upper bounds in seconds, from 1 ms (an ACK from a warm engine) to an hour (a destination down for a while). */
  public static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

  private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

  static {
    for (int i = 0; i < BOUNDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
    }
  }

  /** One adder per bound, plus one for values above the last. */
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();

  public LatencyHistogram() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  public void recordNanos(long nanos) {
    long n = Math.max(0, nanos);
    int i = 0;
    while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
      i++;
    }
    // the count first: read after the buckets (as a scrape does), it is never below their sum
    count.increment();
    sumNanos.add(n);
    buckets[i].increment();
  }

  /** How many values were at most {@code BOUNDS[bound]} seconds (the bucket {@code le} that bound). */
  public long cumulativeCount(int bound) {
    long n = 0;
    for (int i = 0; i <= bound; i++) {
      n += buckets[i].sum();
    }
    return n;
  }

  public long count() {
    return count.sum();
  }

  public double sumSeconds() {
    return sumNanos.sum() / 1e9;
  }
}
