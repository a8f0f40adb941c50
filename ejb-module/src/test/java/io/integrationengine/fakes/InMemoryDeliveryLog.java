package io.integrationengine.fakes;

import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.services.DeliveryLog;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link DeliveryLog} in a map, with the real records' rules. */
public class InMemoryDeliveryLog implements DeliveryLog {

  public final Map<String, DeliveryRecord> records = new LinkedHashMap<>();
  public final List<DeliveryAttempt> attempts = new ArrayList<>();
  /** How many of the next {@link #record} calls fail as a database rolling back a deadlock victim (SQLState 40001), recording nothing. */
  public int conflictsBeforeRecord;

  @Override
  public void plan(Collection<DeliveryRecord> planned) {
    planned.forEach(r -> records.putIfAbsent(r.getId(), r));
  }

  @Override
  public void markQueued(Collection<String> keys) {
    keys.forEach(k -> {
      DeliveryRecord r = records.get(k);
      if (r != null) {
        r.record(DeliveryStatus.QUEUED, 0, null, null);
      }
    });
  }

  @Override
  public Map<String, DeliveryRecord> find(Collection<String> keys) {
    Map<String, DeliveryRecord> found = new HashMap<>();
    keys.forEach(k -> {
      if (records.containsKey(k)) {
        found.put(k, records.get(k));
      }
    });
    return found;
  }

  @Override
  public Set<String> done(Collection<String> keys) {
    Set<String> done = new HashSet<>();
    keys.forEach(k -> {
      DeliveryRecord r = records.get(k);
      if (r != null && r.getStatus().isFinal()) {
        done.add(k);
      }
    });
    return done;
  }

  @Override
  public List<Boolean> record(List<Outcome> outcomes) {
    if (conflictsBeforeRecord > 0) {
      conflictsBeforeRecord--;
      throw new IllegalStateException("Transaction rolled back",
          new java.sql.SQLTransactionRollbackException("Deadlock detected. The current transaction was rolled back. Details: \"ENGINE_DELIVERY\"", "40001"));
    }
    List<Boolean> moved = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (Outcome o : outcomes) {
      if (o.failed()) {
        attempts.add(o.attempt(now));
      }
      DeliveryRecord r = records.computeIfAbsent(DeliveryRecord.key(o.messageId(), o.destination()), k -> new DeliveryRecord(o.messageId(), o.route(), o.destination()));
      boolean forward = r.record(o.status(), o.attempts(), o.error(), o.target());
      if (forward && o.sent() != null) {
        r.sent(o.sent());
      }
      moved.add(forward);
    }
    return moved;
  }

  @Override
  public List<DeliveryRecord> forMessage(String messageId) {
    return records.values().stream().filter(r -> r.getMessageId().equals(messageId)).toList();
  }

  @Override
  public void keep(DeliveryAttempt attempt) {
    attempts.add(attempt);
  }

  @Override
  public List<DeliveryAttempt> attemptsFor(String messageId) {
    return attempts.stream().filter(a -> a.getMessageId().equals(messageId)).sorted(Comparator.comparing(DeliveryAttempt::getAt)).toList();
  }

  @Override
  public List<DeliveryRecord> pendingSince(OffsetDateTime before, int limit) {
    return records.values().stream().filter(r -> r.getStatus() == DeliveryStatus.PENDING && r.getUpdatedAt().isBefore(before)).limit(limit).toList();
  }

  public DeliveryRecord get(String messageId, String destination) {
    return records.get(DeliveryRecord.key(messageId, destination));
  }
}
