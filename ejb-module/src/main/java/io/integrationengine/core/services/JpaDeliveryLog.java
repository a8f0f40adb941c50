package io.integrationengine.core.services;

import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link DeliveryLog} on JPA, in the message store's database. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class JpaDeliveryLog implements DeliveryLog {

  /** The statuses {@link DeliveryStatus#isFinal} names. */
  private static final List<DeliveryStatus> FINAL = Arrays.stream(DeliveryStatus.values()).filter(DeliveryStatus::isFinal).toList();

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Override
  public void plan(Collection<DeliveryRecord> planned) {
    planned.forEach(em::persist);
  }

  /** A plain read: joins the caller's transaction if there is one, and starts none. */
  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public Map<String, DeliveryRecord> find(Collection<String> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    Map<String, DeliveryRecord> found = new HashMap<>();
    em.createNamedQuery(DeliveryRecord.BY_IDS, DeliveryRecord.class).setParameter("ids", List.copyOf(keys)).getResultList().forEach(r -> found.put(r.getId(), r));
    return found;
  }

  /** Only the keys are read, not the records (building the entities was most of the read's cost). */
  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public Set<String> done(Collection<String> keys) {
    if (keys.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(em.createNamedQuery(DeliveryRecord.DONE_AMONG, String.class)
        .setParameter("ids", List.copyOf(keys))
        .setParameter("final", FINAL)
        .getResultList());
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
  public List<Boolean> record(List<Outcome> outcomes) {
    Map<String, DeliveryRecord> records = find(outcomes.stream().map(o -> DeliveryRecord.key(o.messageId(), o.destination())).toList());
    List<Boolean> moved = new ArrayList<>(outcomes.size());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (Outcome o : outcomes) {
      if (o.failed()) {
        em.persist(o.attempt(now));
      }
      DeliveryRecord record = records.get(DeliveryRecord.key(o.messageId(), o.destination()));
      if (record == null) {
        record = new DeliveryRecord(o.messageId(), o.route(), o.destination());
        em.persist(record);
        records.put(record.getId(), record);
      }
      boolean forward = record.record(o.status(), o.attempts(), o.error(), o.target());
      if (forward && o.sent() != null) {
        record.sent(o.sent());
      }
      moved.add(forward);
    }
    return moved;
  }

  @Override
  public List<DeliveryRecord> forMessage(String messageId) {
    return em.createNamedQuery(DeliveryRecord.BY_MESSAGE, DeliveryRecord.class).setParameter("messageId", messageId).getResultList();
  }

  @Override
  public void keep(DeliveryAttempt attempt) {
    em.persist(attempt);
  }

  @Override
  public List<DeliveryAttempt> attemptsFor(String messageId) {
    return em.createNamedQuery(DeliveryAttempt.BY_MESSAGE, DeliveryAttempt.class).setParameter("messageId", messageId).getResultList();
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
