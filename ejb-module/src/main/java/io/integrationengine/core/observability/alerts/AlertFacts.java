package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.queues.DeliveryQueue.Depth;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The figures alert rules are checked against: the delivery queues (Redis) and the message store.
 * A figure that cannot be read throws; the rule is then left as it stands for this check.
 */
public interface AlertFacts {

  /** The destinations configured now. */
  Set<String> destinations();

  /** The depths of these destinations' queues. */
  Map<String, Depth> depths(Collection<String> destinations);

  /** How many messages a channel ({@code null}: every channel) stored since {@code since}, and how many of them were rejected. */
  record Intake(long received, long rejected) {}

  Intake intake(String channel, Instant since);

  /** When the channel's latest message since {@code since} arrived; empty when none did. */
  Optional<Instant> lastReceived(String channel, Instant since);
}
