package io.integrationengine.services.routing.condition;

/**
 * A rule a message meets or not (the Specification pattern): route conditions are built from
 * comparisons combined with {@link #and}, {@link #or} and {@link #not}.
 */
@FunctionalInterface
public interface Condition {

  boolean test(MessageView message);

  default Condition and(Condition other) {
    return m -> test(m) && other.test(m);
  }

  default Condition or(Condition other) {
    return m -> test(m) || other.test(m);
  }

  default Condition negate() {
    return m -> !test(m);
  }

  static Condition not(Condition condition) {
    return condition.negate();
  }

  /** Met by every message. */
  static Condition always() {
    return m -> true;
  }
}
