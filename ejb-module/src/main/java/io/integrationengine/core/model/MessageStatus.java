package io.integrationengine.core.model;

/** Where a stored message stands in the pipeline. */
public enum MessageStatus {
  /** Stored and acknowledged; waiting for the routing stage. */
  RECEIVED,
  /** At least one route matched; delivery tasks were queued. */
  ROUTED,
  /** No route matched: kept, so an analyst can add a route and replay it. */
  UNROUTED,
  /** Could not be parsed at intake: the sender got a negative ACK saying why. */
  REJECTED
}
