package io.integrationengine.core.services;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of every planned delivery and its outcome, one per message and destination, and the
 * attempts that record no longer shows ({@link DeliveryAttempt}).
 */
public interface DeliveryLog {

  /**
   * The outcome of one attempt to deliver.
   *
   * @param sent the transformed content sent, or null when the original was sent
   */
  record Outcome(String messageId, String route, String destination, DeliveryStatus status, int attempts, String error, String target, Content sent) {

    /** A failed attempt (RETRYING, DEAD): kept as a {@link DeliveryAttempt} of its own, whether or not it moves its delivery. */
    public boolean failed() {
      return status == DeliveryStatus.RETRYING || status == DeliveryStatus.DEAD;
    }

    /** This attempt, recorded {@code at}. */
    public DeliveryAttempt attempt(OffsetDateTime at) {
      return new DeliveryAttempt(messageId, route, destination, attempts, at, status, error, target);
    }
  }

  /**
   * Records deliveries routing has planned (status PENDING), in the caller's unit of work. They are
   * new: routing plans a message once, and a second planning of it fails on their keys.
   */
  void plan(Collection<DeliveryRecord> planned);

  /** The records with these keys ({@link DeliveryRecord#key}) that exist, by key, in one read. */
  Map<String, DeliveryRecord> find(Collection<String> keys);

  /**
   * Of these keys, those whose delivery is {@linkplain DeliveryStatus#isFinal final} (delivered or
   * dead), in one read: what a delivery worker must not send again.
   */
  Set<String> done(Collection<String> keys);

  /** PENDING deliveries whose tasks are now on their queues become QUEUED. */
  void markQueued(Collection<String> keys);

  /**
   * Records outcomes of attempts, in one unit of work, each if it moves its delivery forward; a
   * DELIVERED or DEAD delivery is never moved back. Each {@linkplain Outcome#failed failed} attempt
   * is also kept as a {@link DeliveryAttempt}, in the same unit of work, even when its delivery
   * already stands further; a success is not (the record shows it).
   *
   * @return per outcome, in order: false when nothing was recorded because the delivery already
   *     stands further
   */
  List<Boolean> record(List<Outcome> outcomes);

  List<DeliveryRecord> forMessage(String messageId);

  /** Keeps an attempt the record is about to forget (a success, before a replay resets it), in the caller's unit of work. */
  void keep(DeliveryAttempt attempt);

  /** The kept attempts of a message's deliveries, oldest first. */
  List<DeliveryAttempt> attemptsFor(String messageId);

  /** Deliveries still PENDING that were planned before {@code before}: their tasks never reached a queue. */
  List<DeliveryRecord> pendingSince(OffsetDateTime before, int limit);
}
