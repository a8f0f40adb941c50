package io.integrationengine.core.services;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

/** {@link DeliveryLog} on JPA, in the message store's database. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class JpaDeliveryLog implements DeliveryLog {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Override
  public void plan(Collection<DeliveryRecord> planned) {
    for (DeliveryRecord record : planned) {
      if (em.find(DeliveryRecord.class, record.getId()) == null) {
        em.persist(record);
      }
    }
  }

  /** One statement for all of them; only PENDING records move (statuses only move forward). */
  @Override
  public void markQueued(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    em.createNamedQuery(DeliveryRecord.MARK_QUEUED)
        .setParameter("queued", DeliveryStatus.QUEUED)
        .setParameter("pending", DeliveryStatus.PENDING)
        .setParameter("now", OffsetDateTime.now(ZoneOffset.UTC))
        .setParameter("ids", List.copyOf(keys))
        .executeUpdate();
  }

  @Override
  public boolean isFinal(String messageId, String destination) {
    DeliveryRecord record = em.find(DeliveryRecord.class, DeliveryRecord.key(messageId, destination));
    return record != null && record.getStatus().isFinal();
  }

  @Override
  public boolean record(String messageId, String route, String destination, DeliveryStatus status, int attempts, String error, String target, Content sent) {
    DeliveryRecord record = em.find(DeliveryRecord.class, DeliveryRecord.key(messageId, destination));
    if (record == null) {
      record = new DeliveryRecord(messageId, route, destination);
      em.persist(record);
    }
    boolean moved = record.record(status, attempts, error, target);
    if (moved && sent != null) {
      record.sent(sent);
    }
    return moved;
  }

  @Override
  public List<DeliveryRecord> forMessage(String messageId) {
    return em.createNamedQuery(DeliveryRecord.BY_MESSAGE, DeliveryRecord.class).setParameter("messageId", messageId).getResultList();
  }

  @Override
  public List<DeliveryRecord> pendingSince(OffsetDateTime before, int limit) {
    return em.createNamedQuery(DeliveryRecord.IN_STATUS_SINCE, DeliveryRecord.class)
        .setParameter("status", DeliveryStatus.PENDING)
        .setParameter("before", before)
        .setMaxResults(limit)
        .getResultList();
  }
}
