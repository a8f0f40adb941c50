package io.integrationengine.core.model;

/** What the audit trail records: every view of message content, every action on messages, every configuration change. */
public enum AuditAction {
  /** Message content shown (decoded, with the message's details). */
  VIEW_CONTENT,
  /** The bytes as received downloaded. */
  VIEW_RAW,
  /** A message sent again to its destinations or to one. */
  REPLAY,
  /** Dead letters of a destination sent again. */
  REPLAY_DEAD,
  /** Dead letters of a destination taken off its queue for good. */
  DISCARD_DEAD,
  /** A route, destination, channel or table changed through the engine. */
  CONFIG_CHANGE
}
