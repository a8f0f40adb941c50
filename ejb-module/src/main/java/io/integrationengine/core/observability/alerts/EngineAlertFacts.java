package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryQueue.Depth;
import io.integrationengine.core.services.NativeQueries;
import io.integrationengine.services.output.DestinationRegistry;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

  private static final String CHANNEL = "(m.CHANNEL = ? or m.CHANNEL like ?)";

  /**
   * Received and rejected messages of the channel (null: all) in {@code [from, until)}, until null:
   * up to now; one statement. Native SQL on the envelope's table: JPQL on {@code StoredMessage}
   * joins its content's table too.
   */
  private long[] count(String channel, Instant from, Instant until) {
    List<Object> parameters = new ArrayList<>(List.of(MessageStatus.REJECTED.name(), utc(from)));
    String sql = "select count(*), sum(case when m.STATUS = ? then 1 else 0 end) from ENGINE_ENVELOPE m where m.RECEIVED_AT >= ?";
    if (until != null) {
      sql += " and m.RECEIVED_AT < ?";
      parameters.add(utc(until));
    }
    sql += " and m.STATUS <> ?";
    parameters.add(MessageStatus.SPLIT.name());
    if (channel != null) {
      sql += " and " + CHANNEL;
      parameters.add(channel);
      parameters.add(channel + " (%");
    }
    Object[] row = (Object[]) NativeQueries.create(em, sql, parameters).getSingleResult();
    return new long[] {number(row[0]), number(row[1])};
  }

  /** A time bound as the messages' writer binds it ({@link io.integrationengine.core.model.StoredMessageRows#timestamp}). */
  private static Timestamp utc(Instant time) {
    return Timestamp.from(time);
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  @Override
  public Optional<Instant> lastReceived(String channel, Instant since) {
    Object last = NativeQueries.create(em, "select max(m.RECEIVED_AT) from ENGINE_ENVELOPE m where m.RECEIVED_AT >= ? and " + CHANNEL, List.of(utc(since), channel, channel + " (%"))
        .getSingleResult();
    return Optional.ofNullable(last).map(EngineAlertFacts::instant);
  }

  /** A TIMESTAMP column's value as the driver returns it, read as the messages' reader reads it ({@code StoredMessageRows}). */
  private static Instant instant(Object value) {
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp " + value.getClass().getName() + ": " + value);
  }
}
