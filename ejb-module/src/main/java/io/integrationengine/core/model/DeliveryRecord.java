package io.integrationengine.core.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.nio.charset.Charset;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One message's delivery to one destination: planned by routing, then updated by each attempt. Its
 * id is the delivery's idempotency key ({@code messageId/destination}): a task seen twice finds the
 * record and is not sent twice. When a transform changed the content, the bytes sent are kept
 * here, so an operator sees (and can resend) exactly what the destination got.
 */
@Entity
// Not in the shared cache: deliveries are marked QUEUED by a bulk update every second, and after
// each one EclipseLink evaluated its condition against every cached delivery to invalidate the
// matching ones (a quarter of the engine's CPU samples in one file benchmark on PostgreSQL). Deliveries are
// read by queries, which go to the database anyway.
@Cacheable(false)
@Table(
    name = "ENGINE_DELIVERY",
    indexes = {
      @Index(name = "IX_DELIVERY_MESSAGE", columnList = "MESSAGE_ID"),
      @Index(name = "IX_DELIVERY_STATUS", columnList = "STATUS,UPDATED_AT")
    })
@NamedQuery(name = DeliveryRecord.BY_MESSAGE, query = "select d from DeliveryRecord d where d.messageId = :messageId order by d.destination")
@NamedQuery(name = DeliveryRecord.MARK_QUEUED, query = "update DeliveryRecord d set d.status = :queued, d.updatedAt = :now where d.id in :ids and d.status = :pending")
@NamedQuery(name = DeliveryRecord.IN_STATUS_SINCE, query = "select d from DeliveryRecord d where d.status = :status and d.updatedAt < :before order by d.updatedAt")
@NamedQuery(name = DeliveryRecord.BY_IDS, query = "select d from DeliveryRecord d where d.id in :ids")
@NamedQuery(name = DeliveryRecord.DONE_AMONG, query = "select d.id from DeliveryRecord d where d.id in :ids and d.status in :final")
public class DeliveryRecord {

  public static final String BY_IDS = "DeliveryRecord.byIds";
  public static final String DONE_AMONG = "DeliveryRecord.doneAmong";
  public static final String BY_MESSAGE = "DeliveryRecord.byMessage";
  public static final String IN_STATUS_SINCE = "DeliveryRecord.inStatusSince";
  public static final String MARK_QUEUED = "DeliveryRecord.markQueued";

  /** Column widths: longer values are cut. */
  static final int ERROR_LENGTH = 2000;
  static final int TARGET_LENGTH = 1000;

  @Id
  @Column(name = "ID", length = 300)
  private String id;

  @Column(name = "MESSAGE_ID", length = 36, nullable = false)
  private String messageId;

  @Column(name = "ROUTE_NAME", length = 200)
  private String route;

  @Column(name = "DESTINATION", length = 200, nullable = false)
  private String destination;

  /** The route's ordering key for this message (the patient, by default): a re-queued task keeps its place in its key's order. */
  @Column(name = "ORDER_KEY", length = 200)
  private String orderKey;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  private DeliveryStatus status;

  @Column(name = "ATTEMPTS", nullable = false)
  private int attempts;

  @Column(name = "LAST_ERROR", length = ERROR_LENGTH)
  private String lastError;

  /** Where it went: a file path, an endpoint address. */
  @Column(name = "TARGET", length = TARGET_LENGTH)
  private String target;

  /** The bytes sent when a transform changed them; null when the original content was sent. */
  @Lob
  @Column(name = "SENT_CONTENT")
  private byte[] sentContent;

  @Enumerated(EnumType.STRING)
  @Column(name = "SENT_CONTENT_TYPE", length = 20)
  private ContentType sentContentType;

  @Column(name = "SENT_CHARSET", length = 40)
  private String sentCharset;

  @Column(name = "UPDATED_AT", nullable = false)
  private OffsetDateTime updatedAt;

  protected DeliveryRecord() {}

  /** A delivery routing has planned: PENDING until its task is on the destination's queue. */
  public DeliveryRecord(String messageId, String route, String destination) {
    this(messageId, route, destination, null);
  }

  /** A planned delivery whose messages are kept in order per {@code orderKey} (null: unordered). */
  public DeliveryRecord(String messageId, String route, String destination, String orderKey) {
    this.id = key(messageId, destination);
    this.orderKey = orderKey;
    this.messageId = messageId;
    this.route = route;
    this.destination = destination;
    this.status = DeliveryStatus.PENDING;
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  public String getOrderKey() {
    return orderKey;
  }

  public static String key(String messageId, String destination) {
    return messageId + "/" + destination;
  }

  /**
   * Records an outcome, if it moves the delivery forward (see {@link DeliveryStatus#canMoveTo}).
   *
   * @return false when the record already stands further (e.g. DELIVERED): nothing was changed
   */
  public boolean record(DeliveryStatus newStatus, int attemptCount, String error, String deliveredTo) {
    if (!status.canMoveTo(newStatus)) {
      return false;
    }
    this.status = newStatus;
    this.attempts = Math.max(attempts, attemptCount);
    this.lastError = error == null || error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH);
    if (deliveredTo != null) {
      this.target = deliveredTo.length() <= TARGET_LENGTH ? deliveredTo : deliveredTo.substring(0, TARGET_LENGTH);
    }
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return true;
  }

  /**
   * An operator sends it again: a DELIVERED or DEAD delivery is PENDING anew (until its task is on
   * the queue, as after routing), its attempts counted from zero: the one exception to statuses
   * moving only forward.
   *
   * @return false when it is still on its way (pending, queued, retrying): nothing was changed
   */
  public boolean replay() {
    if (!status.isFinal()) {
      return false;
    }
    this.status = DeliveryStatus.PENDING;
    this.attempts = 0;
    this.lastError = null;
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return true;
  }

  /** Keeps the transformed content that was (or is being) sent. */
  public void sent(Content content) {
    this.sentContent = content.bytes();
    this.sentContentType = content.type();
    this.sentCharset = content.charset() == null ? null : content.charset().name();
  }

  /** The transformed content sent, or null when the original was sent. */
  public Content sentContent() {
    return sentContent == null ? null : new Content(sentContent, sentContentType, sentCharset == null ? null : Charset.forName(sentCharset));
  }

  public String getId() {
    return id;
  }

  public String getMessageId() {
    return messageId;
  }

  public String getRoute() {
    return route;
  }

  public String getDestination() {
    return destination;
  }

  public DeliveryStatus getStatus() {
    return status;
  }

  public int getAttempts() {
    return attempts;
  }

  public String getLastError() {
    return lastError;
  }

  public String getTarget() {
    return target;
  }

  public OffsetDateTime getUpdatedAt() {
    return updatedAt;
  }
}
