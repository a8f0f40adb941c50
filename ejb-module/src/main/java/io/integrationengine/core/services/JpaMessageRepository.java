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

  /**
   * Filters on attributes are uncorrelated {@code m.id in (select ...)} subqueries: the database
   * evaluates each once (by the attribute index for identifiers and senders, one pass over the
   * attribute rows for a text), where the correlated {@code exists} they were before was evaluated
   * per message, and a text search over some 30,000 messages took more than a minute on H2.
   */
  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<StoredMessage> search(Search search, int limit) {
    List<String> where = new ArrayList<>();
    java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
    if (present(search.controlId())) {
      where.add("m.controlId = :controlId");
      parameters.put("controlId", search.controlId().strip());
    }
    if (present(search.patient())) {
      // identifiers exactly (index NAME, ATTR_VALUE), names by their start, case ignored
      where.add("(m.id in (select s.id from StoredMessage s join s.attributes a where a.name in :patientIds and a.value = :patient)"
          + " or m.id in (select s.id from StoredMessage s join s.attributes a where a.name = :patientName and upper(a.value) like :patientLike))");
      parameters.put("patientIds", List.of(Attributes.PATIENT_ID, Attributes.PATIENT_IDENTIFIER));
      parameters.put("patient", search.patient().strip());
      parameters.put("patientName", Attributes.PATIENT_NAME);
      parameters.put("patientLike", like(search.patient().strip().toUpperCase(java.util.Locale.ROOT)) + "%");
    }
    if (present(search.messageType())) {
      String type = search.messageType().strip();
      if (type.contains("^")) {
        where.add("m.messageType = :messageType");
        parameters.put("messageType", type);
      } else {
        where.add("(m.messageType = :messageType or m.messageType like :messageTypeEvents)");
        parameters.put("messageType", type);
        parameters.put("messageTypeEvents", like(type) + "^%");
      }
    }
    if (search.status() != null) {
      where.add("m.status = :status");
      parameters.put("status", search.status());
    }
    if (present(search.channel())) {
      where.add("m.channel = :channel");
      parameters.put("channel", search.channel().strip());
    }
    if (present(search.sender())) {
      where.add("m.id in (select s.id from StoredMessage s join s.attributes a where a.name in :senderNames and a.value = :sender)");
      parameters.put("senderNames", List.of(Attributes.SENDING_APPLICATION, Attributes.SENDING_FACILITY));
      parameters.put("sender", search.sender().strip());
    }
    if (search.from() != null) {
      where.add("m.receivedAt >= :from");
      parameters.put("from", search.from());
    }
    if (search.to() != null) {
      where.add("m.receivedAt < :to");
      parameters.put("to", search.to());
    }
    if (present(search.text())) {
      where.add("(m.controlId like :text or m.statusDetail like :text"
          + " or m.id in (select s.id from StoredMessage s join s.attributes a where a.value like :text))");
      parameters.put("text", "%" + like(search.text().strip()) + "%");
    }
    String jpql = "select m from StoredMessage m" + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by m.receivedAt desc";
    var query = em.createQuery(jpql, StoredMessage.class);
    parameters.forEach(query::setParameter);
    return query.setMaxResults(limit).getResultList();
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** A LIKE pattern matching {@code value} literally (no wildcards of its own). */
  private static String like(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
