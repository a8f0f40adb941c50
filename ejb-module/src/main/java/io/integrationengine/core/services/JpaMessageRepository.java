package io.integrationengine.core.services;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link MessageRepository} on JPA ({@code jdbc/engine}: H2 by default, PostgreSQL in production). */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class JpaMessageRepository implements MessageRepository {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Override
  public void add(StoredMessage message) {
    em.persist(message);
  }

  @Override
  public Optional<StoredMessage> find(String id) {
    return Optional.ofNullable(em.find(StoredMessage.class, id));
  }

  /** A plain read: joins the caller's transaction if there is one, and starts none. */
  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<StoredMessage> findAll(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return em.createNamedQuery(StoredMessage.BY_IDS, StoredMessage.class).setParameter("ids", List.copyOf(ids)).getResultList();
  }

  @Override
  public List<StoredMessage> latest(MessageStatus status, int limit) {
    var query = status == null
        ? em.createNamedQuery(StoredMessage.LATEST, StoredMessage.class)
        : em.createNamedQuery(StoredMessage.BY_STATUS, StoredMessage.class).setParameter("status", status);
    return query.setMaxResults(limit).getResultList();
  }

  @Override
  public List<StoredMessage> withControlId(String controlId, int limit) {
    return em.createNamedQuery(StoredMessage.BY_CONTROL_ID, StoredMessage.class).setParameter("controlId", controlId).setMaxResults(limit).getResultList();
  }

  @Override
  public List<StoredMessage> withAttribute(String name, String value, int limit) {
    // kept in columns of their own, not in attribute rows
    if (Attributes.CONTROL_ID.equals(name)) {
      return withControlId(value, limit);
    }
    if (Attributes.MESSAGE_TYPE.equals(name)) {
      return em.createNamedQuery(StoredMessage.BY_MESSAGE_TYPE, StoredMessage.class).setParameter("messageType", value).setMaxResults(limit).getResultList();
    }
    return em.createNamedQuery(StoredMessage.BY_ATTRIBUTE, StoredMessage.class)
        .setParameter("name", name)
        .setParameter("value", value)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public List<String> claimWaitingForRouting(OffsetDateTime before, int limit) {
    List<StoredMessage> waiting = em.createNamedQuery(StoredMessage.WAITING_SINCE, StoredMessage.class)
        .setParameter("status", MessageStatus.RECEIVED)
        .setParameter("before", before)
        .setMaxResults(limit)
        .getResultList();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<String> claimed = new ArrayList<>();
    for (StoredMessage message : waiting) {
      int updated = em.createNamedQuery(StoredMessage.REQUEUE)
          .setParameter("now", now)
          .setParameter("id", message.getId())
          .setParameter("seen", message.getQueuedAt())
          .setParameter("status", MessageStatus.RECEIVED)
          .executeUpdate();
      if (updated == 1) {
        claimed.add(message.getId());
      }
    }
    return claimed;
  }
}
