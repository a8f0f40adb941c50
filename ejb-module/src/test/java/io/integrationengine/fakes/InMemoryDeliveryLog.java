package io.integrationengine.fakes;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.services.DeliveryLog;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link DeliveryLog} in a map, with the real records' rules. */
public class InMemoryDeliveryLog implements DeliveryLog {

  public final Map<String, DeliveryRecord> records = new LinkedHashMap<>();

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
  public boolean isFinal(String messageId, String destination) {
    DeliveryRecord r = records.get(DeliveryRecord.key(messageId, destination));
    return r != null && r.getStatus().isFinal();
  }

  @Override
  public boolean record(String messageId, String route, String destination, DeliveryStatus status, int attempts, String error, String target, Content sent) {
    DeliveryRecord r = records.computeIfAbsent(DeliveryRecord.key(messageId, destination), k -> new DeliveryRecord(messageId, route, destination));
    boolean moved = r.record(status, attempts, error, target);
    if (moved && sent != null) {
      r.sent(sent);
    }
    return moved;
  }

  @Override
  public List<DeliveryRecord> forMessage(String messageId) {
    return records.values().stream().filter(r -> r.getMessageId().equals(messageId)).toList();
  }

  @Override
  public List<DeliveryRecord> pendingSince(OffsetDateTime before, int limit) {
    return records.values().stream().filter(r -> r.getStatus() == DeliveryStatus.PENDING && r.getUpdatedAt().isBefore(before)).limit(limit).toList();
  }

  public DeliveryRecord get(String messageId, String destination) {
    return records.get(DeliveryRecord.key(messageId, destination));
  }
}
