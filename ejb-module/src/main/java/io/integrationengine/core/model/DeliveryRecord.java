package io.integrationengine.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The outcome of delivering one message to one destination. Its id is the delivery's idempotency
 * key ({@code messageId/destination}): a task seen twice finds the record and is not sent twice.
 */
@Entity
@Table(name = "ENGINE_DELIVERY", indexes = @Index(name = "IX_DELIVERY_MESSAGE", columnList = "MESSAGE_ID"))
@NamedQuery(name = DeliveryRecord.BY_MESSAGE, query = "select d from DeliveryRecord d where d.messageId = :messageId order by d.destination")
public class DeliveryRecord {

  public static final String BY_MESSAGE = "DeliveryRecord.byMessage";

  @Id
  @Column(name = "ID", length = 300)
  private String id;

  @Column(name = "MESSAGE_ID", length = 36, nullable = false)
  private String messageId;

  @Column(name = "ROUTE_NAME", length = 100)
  private String route;

  @Column(name = "DESTINATION", length = 100, nullable = false)
  private String destination;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  private DeliveryStatus status;

  @Column(name = "ATTEMPTS", nullable = false)
  private int attempts;

  @Column(name = "LAST_ERROR", length = 2000)
  private String lastError;

  /** Where it went: a file path, an endpoint address. */
  @Column(name = "TARGET", length = 1000)
  private String target;

  @Column(name = "UPDATED_AT", nullable = false)
  private OffsetDateTime updatedAt;

  protected DeliveryRecord() {}

  public DeliveryRecord(String messageId, String route, String destination) {
    this.id = key(messageId, destination);
    this.messageId = messageId;
    this.route = route;
    this.destination = destination;
    this.status = DeliveryStatus.RETRYING;
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  public static String key(String messageId, String destination) {
    return messageId + "/" + destination;
  }

  public void record(DeliveryStatus newStatus, int attemptCount, String error, String deliveredTo) {
    this.status = newStatus;
    this.attempts = attemptCount;
    this.lastError = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
    if (deliveredTo != null) {
      this.target = deliveredTo;
    }
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
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
