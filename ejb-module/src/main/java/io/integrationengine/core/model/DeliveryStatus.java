package io.integrationengine.core.model;

/**
 * Where one message's delivery to one destination stands. Statuses only move forward (see
 * {@link #canMoveTo}): a delivery recorded DELIVERED is never sent again because a later step
 * failed.
 */
public enum DeliveryStatus {
  /** Planned by routing, in the same transaction that marked the message ROUTED; not yet on the destination's queue. */
  PENDING(0),
  /** On the destination's queue. */
  QUEUED(1),
  /** A previous attempt failed; another is scheduled. */
  RETRYING(2),
  /** The destination has the message. */
  DELIVERED(3),
  /** Attempts exhausted, or a failure no retry can change: the task sits in the destination's dead-letter queue. */
  DEAD(3);

  private final int rank;

  DeliveryStatus(int rank) {
    this.rank = rank;
  }

  /** True for DELIVERED and DEAD: nothing more happens unless an operator replays it. */
  public boolean isFinal() {
    return rank == 3;
  }

  /** Forward only; RETRYING may repeat (one more failed attempt). */
  public boolean canMoveTo(DeliveryStatus next) {
    return next.rank > rank || (this == RETRYING && next == RETRYING);
  }
}
