package io.integrationengine.core.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One attempt of a delivery that its {@link DeliveryRecord} no longer shows: every failed attempt
 * (RETRYING, DEAD), written with the outcome, and a success that a replay is about to reset
 * (DELIVERED, kept from the record just before it is reopened). A success is not written as it
 * happens: the record itself shows it (status, attempts, target, time), and the delivery path
 * stays one update per delivered message. Append-only: the entity refuses changes and removals.
 */
@Entity
// written once and read only for the message detail: nothing to gain from the shared cache
@Cacheable(false)
@Table(name = "ENGINE_DELIVERY_ATTEMPT", indexes = @Index(name = "IX_DELIVERY_ATTEMPT_MESSAGE", columnList = "MESSAGE_ID"))
@NamedQuery(name = DeliveryAttempt.BY_MESSAGE, query = "select a from DeliveryAttempt a where a.messageId = :messageId order by a.at, a.attempt, a.id")
public class DeliveryAttempt {

  public static final String BY_MESSAGE = "DeliveryAttempt.byMessage";
  public static final int MAX_ERROR = 2000;

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  /** The delivery's key ({@link DeliveryRecord#key}). */
  @Column(name = "DELIVERY_KEY", length = 300, nullable = false)
  private String deliveryKey;

  @Column(name = "MESSAGE_ID", length = 36, nullable = false)
  private String messageId;

  @Column(name = "DESTINATION", length = 200, nullable = false)
  private String destination;

  @Column(name = "ROUTE_NAME", length = 200)
  private String route;

  /** Its number, counted from 1; a replay counts from 1 again. */
  @Column(name = "ATTEMPT", nullable = false)
  private int attempt;

  /** When its outcome was recorded (UTC). */
  @Column(name = "ATTEMPTED_AT", nullable = false)
  private OffsetDateTime at;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  private DeliveryStatus status;

  @Column(name = "ERROR", length = MAX_ERROR)
  private String error;

  @Column(name = "TARGET", length = 1000)
  private String target;

  protected DeliveryAttempt() {}

  public DeliveryAttempt(String messageId, String route, String destination, int attempt, OffsetDateTime at, DeliveryStatus status, String error, String target) {
    this.id = MessageIds.next();
    this.deliveryKey = DeliveryRecord.key(messageId, destination);
    this.messageId = messageId;
    this.route = route;
    this.destination = destination;
    this.attempt = attempt;
    this.at = at.withOffsetSameInstant(ZoneOffset.UTC);
    this.status = status;
    this.error = cut(error, MAX_ERROR);
    this.target = cut(target, 1000);
  }

  /** The success a DELIVERED record shows (its attempts, target and time), kept before a replay resets the record. */
  public static DeliveryAttempt delivered(DeliveryRecord record) {
    if (record.getStatus() != DeliveryStatus.DELIVERED) {
      throw new IllegalArgumentException("Delivery " + record.getId() + " is " + record.getStatus() + ", not DELIVERED");
    }
    return new DeliveryAttempt(record.getMessageId(), record.getRoute(), record.getDestination(), record.getAttempts(), record.getUpdatedAt(),
        DeliveryStatus.DELIVERED, null, record.getTarget());
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  @PreUpdate
  @PreRemove
  void appendOnly() {
    throw new IllegalStateException("Delivery attempts are append-only: attempt " + attempt + " of " + deliveryKey + " cannot be changed or removed");
  }

  public String getId() {
    return id;
  }

  public String getDeliveryKey() {
    return deliveryKey;
  }

  public String getMessageId() {
    return messageId;
  }

  public String getDestination() {
    return destination;
  }

  public String getRoute() {
    return route;
  }

  public int getAttempt() {
    return attempt;
  }

  public OffsetDateTime getAt() {
    return at;
  }

  public DeliveryStatus getStatus() {
    return status;
  }

  public String getError() {
    return error;
  }

  public String getTarget() {
    return target;
  }
}
