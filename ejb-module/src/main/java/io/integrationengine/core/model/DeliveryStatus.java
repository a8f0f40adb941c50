package io.integrationengine.core.model;

/** Outcome of delivering one message to one destination. */
public enum DeliveryStatus {
  /** A previous attempt failed; another is scheduled. */
  RETRYING,
  /** The destination has the message. */
  DELIVERED,
  /** Attempts exhausted: the task sits in the destination's dead-letter queue. */
  DEAD
}
