package io.integrationengine.core.observability.alerts;

import java.time.Instant;

/** What one rule type checks, with the rule's settings. */
public interface AlertCondition {

  /** The outcome of a check: the condition holds (firing), does not (clear), or cannot be told now. */
  sealed interface Check {
    /** The figure checked (a depth, a count, a share, minutes of silence), for the alert and its notifications. */
    double value();

    String detail();
  }

  record Firing(double value, String detail) implements Check {}

  record Clear(double value, String detail) implements Check {}

  /** Nothing to say now (outside a silence rule's hours, figures unreadable): an open alert stays open, none opens. */
  record Unknown(double value, String detail) implements Check {}

  Check check(AlertFacts facts, Instant now);
}
