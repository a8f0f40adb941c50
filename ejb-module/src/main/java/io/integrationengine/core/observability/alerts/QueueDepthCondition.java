package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.queues.DeliveryQueue.Depth;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Fires while the tasks of a destination in the given states ({@code ready} by default; several
 * are added up) are more than {@code threshold}; the rule's {@code forMinutes} makes it wait.
 */
public record QueueDepthCondition(String destination, List<String> states, long threshold) implements AlertCondition {

  private static final Set<String> STATES = Set.of("ready", "delayed", "held", "inflight", "dead");

  public QueueDepthCondition {
    for (String state : states) {
      if (!STATES.contains(state)) {
        throw new IllegalArgumentException("state must be among ready, delayed, held, inflight, dead, was '" + state + "'");
      }
    }
    states = List.copyOf(states);
  }

  static List<String> parseStates(String value) {
    if (value == null || value.isBlank()) {
      return List.of("ready");
    }
    return List.of(value.toLowerCase(Locale.ROOT).strip().split("\\s*,\\s*"));
  }

  @Override
  public Check check(AlertFacts facts, Instant now) {
    if (!facts.destinations().contains(destination)) {
      return new Unknown(Double.NaN, "destination '" + destination + "' is not configured");
    }
    Depth depth = facts.depths(List.of(destination)).get(destination);
    long total = 0;
    for (String state : states) {
      total += read(state).applyAsLong(depth);
    }
    String detail = total + " tasks " + String.join("+", states) + " for destination " + destination + " (threshold " + threshold + ")";
    return total > threshold ? new Firing(total, detail) : new Clear(total, detail);
  }

  private static ToLongFunction<Depth> read(String state) {
    return switch (state) {
      case "ready" -> Depth::ready;
      case "delayed" -> Depth::delayed;
      case "held" -> Depth::held;
      case "inflight" -> Depth::inflight;
      default -> Depth::dead;
    };
  }
}
