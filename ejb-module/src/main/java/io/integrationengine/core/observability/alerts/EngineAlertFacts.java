package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryQueue.Depth;
import io.integrationengine.services.output.DestinationRegistry;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link AlertFacts} from Redis (the queue depths, as {@code engine_queue_depth} reads them) and the
 * message store (what each channel stored when, and what was rejected), so every instance sees the
 * same figures and they survive a restart. A channel is named as the store and {@code /api/messages}
 * show it ({@code mllp:default}, {@code fhir:rest}, {@code file:hl7}); a sender's name after it
 * ({@code mllp:tls (CN=lab)}) still counts for the channel. Every query runs on an index of the
 * store ({@code CHANNEL,RECEIVED_AT}, {@code RECEIVED_AT}, {@code STATUS,RECEIVED_AT}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class EngineAlertFacts implements AlertFacts {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Inject
  DeliveryQueue queue;

  @Inject
  DestinationRegistry destinationRegistry;

  @Inject
  IntakeWindowCounts windows;

  @Override
  public Set<String> destinations() {
    return destinationRegistry.destinations().keySet();
  }

  @Override
  public Map<String, Depth> depths(Collection<String> destinations) {
    return queue.depths(destinations);
  }

  /** Counted per minute, each settled minute once ({@link IntakeWindowCounts}). */
  @Override
  public Intake intake(String channel, Instant since) {
    long[] counts = windows.count(channel, since, Instant.now(), this::count);
    return new Intake(counts[0], counts[1]);
  }

  private static final String CHANNEL = "(m.channel = :channel or m.channel like :withSender)";

  /** Received and rejected messages of the channel (null: all) in {@code [from, until)}, until null: up to now; one statement. */
  private long[] count(String channel, Instant from, Instant until) {
    String where = " from StoredMessage m where m.receivedAt >= :since" + (until == null ? "" : " and m.receivedAt < :until") + " and m.status <> :split"
        + (channel == null ? "" : " and " + CHANNEL);
    TypedQuery<Object[]> query = em.createQuery("select count(m), sum(case when m.status = :rejected then 1 else 0 end)" + where, Object[].class)
        .setParameter("since", from.atOffset(ZoneOffset.UTC)).setParameter("split", MessageStatus.SPLIT).setParameter("rejected", MessageStatus.REJECTED);
    if (until != null) {
      query.setParameter("until", until.atOffset(ZoneOffset.UTC));
    }
    if (channel != null) {
      query.setParameter("channel", channel).setParameter("withSender", channel + " (%");
    }
    Object[] row = query.getSingleResult();
    return new long[] {number(row[0]), number(row[1])};
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  @Override
  public Optional<Instant> lastReceived(String channel, Instant since) {
    OffsetDateTime last = em.createQuery("select max(m.receivedAt) from StoredMessage m where m.receivedAt >= :since and " + CHANNEL, OffsetDateTime.class)
        .setParameter("since", since.atOffset(ZoneOffset.UTC)).setParameter("channel", channel).setParameter("withSender", channel + " (%").getSingleResult();
    return Optional.ofNullable(last).map(OffsetDateTime::toInstant);
  }
}
