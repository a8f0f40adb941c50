package io.integrationengine.services.output;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, capped, for a limited number of attempts. */
public record RetryPolicy(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {

  /** Delay before attempt {@code attempt + 1}, given {@code attempt} attempts have failed (1-based). */
  public long backoffAfter(int attempt) {
    double exponential = initialBackoffMillis * Math.pow(2, Math.max(0, attempt - 1));
    long capped = (long) Math.min(exponential, maxBackoffMillis);
    // full jitter on the upper half keeps retries of many tasks from arriving together
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}
