package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.queues.DeliveryQueue.Depth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fires while a destination's dead-letter queue (or, without a destination, any destination's)
 * holds a task; clears once it is empty again, after the dead letters were replayed or discarded.
 */
public record DeadLetterCondition(String destination) implements AlertCondition {

  @Override
  public Check check(AlertFacts facts, Instant now) {
    List<String> watched = destination == null ? List.copyOf(facts.destinations()) : List.of(destination);
    if (destination != null && !facts.destinations().contains(destination)) {
      return new Unknown(Double.NaN, "destination '" + destination + "' is not configured");
    }
    Map<String, Long> dead = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, Depth> e : facts.depths(watched).entrySet()) {
      if (e.getValue().dead() > 0) {
        dead.put(e.getKey(), e.getValue().dead());
        total += e.getValue().dead();
      }
    }
    if (total == 0) {
      return new Clear(0, "no dead letters" + (destination == null ? "" : " on destination " + destination));
    }
    StringBuilder detail = new StringBuilder().append(total).append(total == 1 ? " dead letter" : " dead letters").append(" on ");
    dead.forEach((d, n) -> detail.append(d).append(" (").append(n).append("), "));
    detail.setLength(detail.length() - 2);
    detail.append(": GET /api/destinations/<destination>/dead says why; replay or discard them there");
    return new Firing(total, detail.toString());
  }
}
