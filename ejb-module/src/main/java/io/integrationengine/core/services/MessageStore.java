package io.integrationengine.core.services;

import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The message store: every message the engine accepts or rejects is written here before the
 * sender gets an answer. Accepting a message and queueing it for the first stage happen in one
 * transaction, so a message is either stored and queued, or neither.
 */
@Stateless
public class MessageStore {

  @PersistenceContext(unitName = "engine")
  private EntityManager em;

  @Inject
  @JMSConnectionFactory("jms/engine/ConnectionFactory")
  private JMSContext jms;

  @Resource(lookup = "jms/engine/RouteQueue")
  private Queue routeQueue;

  /** Stores the message and queues it for routing, in the caller's transaction or a new one. */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public void accept(StoredMessage message) {
    em.persist(message);
    queueForRouting(message);
  }

  /** Stores a message that failed intake; it stays for inspection and is not processed further. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void storeRejected(StoredMessage message, String reason) {
    message.changeStatus(MessageStatus.REJECTED, reason);
    em.persist(message);
  }

  /** Sends messages received more than {@code olderThan} ago and not yet routed to the route queue again. */
  public List<String> requeueWaitingForRouting(Duration olderThan, int limit) {
    List<StoredMessage> waiting = em.createNamedQuery(StoredMessage.WAITING_SINCE, StoredMessage.class)
        .setParameter("status", MessageStatus.RECEIVED)
        .setParameter("before", OffsetDateTime.now(ZoneOffset.UTC).minus(olderThan))
        .setMaxResults(limit)
        .getResultList();
    waiting.forEach(this::queueForRouting);
    return waiting.stream().map(StoredMessage::getId).toList();
  }

  private void queueForRouting(StoredMessage message) {
    jms.createProducer().setProperty("controlId", String.valueOf(message.getControlId())).send(routeQueue, message.getId());
  }

  public Optional<StoredMessage> find(String id) {
    return Optional.ofNullable(em.find(StoredMessage.class, id));
  }

  public List<StoredMessage> latest(MessageStatus status, int limit) {
    var query = status == null
        ? em.createNamedQuery(StoredMessage.LATEST, StoredMessage.class)
        : em.createNamedQuery(StoredMessage.BY_STATUS, StoredMessage.class).setParameter("status", status);
    return query.setMaxResults(limit).getResultList();
  }

  /** Messages carrying a control id (MSH-10), newest first: several when a sender reuses ids. */
  public List<StoredMessage> withControlId(String controlId, int limit) {
    return em.createNamedQuery(StoredMessage.BY_CONTROL_ID, StoredMessage.class).setParameter("controlId", controlId).setMaxResults(limit).getResultList();
  }

  public List<DeliveryRecord> deliveries(String messageId) {
    return em.createNamedQuery(DeliveryRecord.BY_MESSAGE, DeliveryRecord.class).setParameter("messageId", messageId).getResultList();
  }

  public boolean isDelivered(String messageId, String destination) {
    DeliveryRecord record = em.find(DeliveryRecord.class, DeliveryRecord.key(messageId, destination));
    return record != null && record.getStatus() == DeliveryStatus.DELIVERED;
  }

  /** Records the outcome of one delivery attempt. */
  public void recordDelivery(String messageId, String route, String destination, DeliveryStatus status, int attempts, String error, String target) {
    DeliveryRecord record = em.find(DeliveryRecord.class, DeliveryRecord.key(messageId, destination));
    if (record == null) {
      record = new DeliveryRecord(messageId, route, destination);
      em.persist(record);
    }
    record.record(status, attempts, error, target);
  }
}
