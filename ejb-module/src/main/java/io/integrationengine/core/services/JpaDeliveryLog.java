package io.integrationengine.core.services;

import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.DeliveryRows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
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
import javax.sql.DataSource;

/** {@link DeliveryLog} on JPA, in the message store's database. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class JpaDeliveryLog implements DeliveryLog {

  /** The statuses {@link DeliveryStatus#isFinal} names. */
  private static final List<DeliveryStatus> FINAL = Arrays.stream(DeliveryStatus.values()).filter(DeliveryStatus::isFinal).toList();

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  /** One JDBC batch on the transaction's connection ({@link DeliveryRows#insert}). */
  @Override
  public void plan(Collection<DeliveryRecord> planned) {
    if (planned.isEmpty()) {
      return;
    }
    try (Connection connection = store.getConnection()) {
      DeliveryRows.insert(connection, planned);
    } catch (SQLException e) {
      throw JpaMessageRepository.failure("could not plan " + planned.size() + " deliveries, the first " + planned.iterator().next().getId(), e);
    }
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

  /**
   * Conditional updates with JDBC on the transaction's connection ({@link DeliveryRows#record}): no
   * record is read. An outcome that wrote nothing is either not forward or has no record yet (its
   * task was queued without one); only the latter, looked up, gets a record, through JPA.
   */
  @Override
  public List<Boolean> record(List<Outcome> outcomes) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<DeliveryRows.Outcome> rows = outcomes.stream()
        .map(o -> new DeliveryRows.Outcome(DeliveryRecord.key(o.messageId(), o.destination()), o.status(), o.attempts(), o.error(), o.target(), o.sent()))
        .toList();
    boolean[] written;
    Set<String> existing;
    try (Connection connection = store.getConnection()) {
      written = DeliveryRows.record(connection, rows, now);
      List<String> notWritten = new ArrayList<>();
      for (int i = 0; i < written.length; i++) {
        if (!written[i]) {
          notWritten.add(rows.get(i).key());
        }
      }
      existing = notWritten.isEmpty() ? Set.of() : DeliveryRows.existing(connection, notWritten);
    } catch (SQLException e) {
      throw JpaMessageRepository.failure("could not record " + outcomes.size() + " delivery outcome(s), the first for " + rows.get(0).key(), e);
    }
    List<Boolean> moved = new ArrayList<>(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o.failed()) {
        em.persist(o.attempt(now));
      }
      boolean forward = written[i];
      if (!forward && !existing.contains(rows.get(i).key())) {
        DeliveryRecord record = new DeliveryRecord(o.messageId(), o.route(), o.destination());
        forward = record.record(o.status(), o.attempts(), o.error(), o.target());
        if (forward && o.sent() != null) {
          record.sent(o.sent());
        }
        em.persist(record);
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
