package io.integrationengine.core.services;

import io.integrationengine.core.model.AuditAction;
import io.integrationengine.core.model.AuditEntry;
import java.time.OffsetDateTime;
import java.util.List;

/** The append-only record of who looked at which message content and who acted on what. */
public interface AuditTrail {

  /**
   * What to look for; null fields do not filter.
   *
   * @param subject a message id or {@code destination:<name>}
   */
  record Query(String actor, AuditAction action, String subject, OffsetDateTime from, OffsetDateTime to) {}

  /** Appends an entry, committed before this returns (whatever the caller's transaction does). */
  void record(AuditEntry entry);

  /** Entries matching the query, newest first. */
  List<AuditEntry> find(Query query, int limit);
}
