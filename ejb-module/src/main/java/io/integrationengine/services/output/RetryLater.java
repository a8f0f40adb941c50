package io.integrationengine.services.output;

import java.time.Duration;

/**
 * A delivery the destination asked to have tried again, not before {@link #after()} (HTTP 429 or
 * 503 with {@code Retry-After}): retried like any failure, but no sooner than that.
 */
public class RetryLater extends Exception {

  private static final long serialVersionUID = 1L;
  private final Duration after;

  public RetryLater(String message, Duration after) {
    super(message);
    this.after = after;
  }

  /** How long the destination asked to wait; null when it did not say. */
  public Duration after() {
    return after;
  }
}
