package io.integrationengine.core.model;

/** Where a stored message stands in the pipeline. */
public enum MessageStatus {
  /** Stored and acknowledged; waiting for the routing stage. */
  RECEIVED,
  /** At least one route matched; a delivery was planned for each of its destinations. */
  ROUTED,
  /** No route matched: kept, so an analyst can add a route and replay it. */
  UNROUTED,
  /** Refused at intake (unreadable, or failing its channel's conformance profile): the sender got a negative ACK saying why. */
  REJECTED,
  /** A file or batch envelope whose records are messages of their own (their parent id is its id): kept, never routed. */
  SPLIT
}
