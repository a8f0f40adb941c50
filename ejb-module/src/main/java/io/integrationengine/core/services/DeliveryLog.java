package io.integrationengine.core.services;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

/** The record of every planned delivery and its outcome, one per message and destination. */
public interface DeliveryLog {

  /** Records deliveries routing has planned (status PENDING), in the caller's unit of work. */
  void plan(Collection<DeliveryRecord> planned);

  /** PENDING deliveries whose tasks are now on their queues become QUEUED. */
  void markQueued(Collection<String> keys);

  /** True when the delivery is DELIVERED or DEAD: a task for it must not be sent again. */
  boolean isFinal(String messageId, String destination);

  /**
   * Records the outcome of an attempt if it moves the delivery forward; a DELIVERED or DEAD
   * delivery is never moved back.
   *
   * @param sent the transformed content sent, or null when the original was sent
   * @return false when nothing was recorded because the delivery already stands further
   */
  boolean record(String messageId, String route, String destination, DeliveryStatus status, int attempts, String error, String target, Content sent);

  List<DeliveryRecord> forMessage(String messageId);

  /** Deliveries still PENDING that were planned before {@code before}: their tasks never reached a queue. */
  List<DeliveryRecord> pendingSince(OffsetDateTime before, int limit);
}
