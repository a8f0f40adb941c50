package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.model.MessageIds;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One notification owed for an alert: to one target, that it opened or resolved. Written in the
 * transaction that opens or resolves the alert, so what is owed survives a restart; sent by the next
 * check, and tried again (with a growing pause) until it goes through or a day has passed.
 */
@Entity
@Table(name = "ENGINE_ALERT_NOTICE", indexes = {@Index(name = "IX_ALERT_NOTICE_DUE", columnList = "SENT_AT,NEXT_ATTEMPT_AT"),
    @Index(name = "IX_ALERT_NOTICE_ALERT", columnList = "ALERT_ID")})
@NamedQuery(name = AlertNotice.DUE, query = "select n from AlertNotice n where n.sentAt is null and n.abandoned = false and n.nextAttemptAt <= :now order by n.createdAt")
@NamedQuery(name = AlertNotice.OF_ALERTS, query = "select n from AlertNotice n where n.alertId in :ids order by n.createdAt")
public class AlertNotice {

  public static final String DUE = "AlertNotice.due";
  public static final String OF_ALERTS = "AlertNotice.ofAlerts";

  /** What the notification says happened. */
  public enum Event {
    OPEN, RESOLVED;

    /** As the webhook's {@code state} field writes it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Column(name = "ALERT_ID", length = 36, nullable = false)
  private String alertId;

  @Enumerated(EnumType.STRING)
  @Column(name = "NOTICE_EVENT", length = 10, nullable = false)
  private Event event;

  @Column(name = "TARGET", length = 1000, nullable = false)
  private String target;

  /** When the alert opened or resolved: the notification's {@code since}. */
  @Column(name = "CREATED_AT", nullable = false)
  private OffsetDateTime createdAt;

  /** The figure and detail when it opened or resolved, as the notification says them. */
  @Column(name = "EVENT_VALUE")
  private double value;

  @Column(name = "DETAIL", length = 2000)
  private String detail;

  @Column(name = "SENT_AT")
  private OffsetDateTime sentAt;

  @Column(name = "ATTEMPTS")
  private int attempts;

  @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
  private OffsetDateTime nextAttemptAt;

  @Column(name = "LAST_ERROR", length = 2000)
  private String lastError;

  /** Given up after a day of failures. */
  @Column(name = "ABANDONED")
  private boolean abandoned;

  @Version
  @Column(name = "VERSION")
  private long version;

  protected AlertNotice() {}

  AlertNotice(Alert alert, Event event, NotifyTarget target, Instant at) {
    this.id = MessageIds.next();
    this.alertId = alert.getId();
    this.value = alert.getValue();
    this.detail = alert.getDetail();
    this.event = event;
    this.target = target.toString();
    this.createdAt = at.atOffset(ZoneOffset.UTC);
    this.nextAttemptAt = createdAt;
  }

  /** Takes the notice for one sender: no other instance sends it before {@code until}. */
  void claim(Instant until) {
    nextAttemptAt = until.atOffset(ZoneOffset.UTC);
  }

  void sent(Instant at) {
    attempts++;
    sentAt = at.atOffset(ZoneOffset.UTC);
    lastError = null;
  }

  void failed(String error, Instant next, boolean giveUp) {
    attempts++;
    lastError = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
    nextAttemptAt = next.atOffset(ZoneOffset.UTC);
    abandoned = giveUp;
  }

  public String getId() {
    return id;
  }

  public String getAlertId() {
    return alertId;
  }

  public Event getEvent() {
    return event;
  }

  public NotifyTarget target() {
    return NotifyTarget.parse(target);
  }

  public double getValue() {
    return value;
  }

  public String getDetail() {
    return detail;
  }

  public String getTarget() {
    return target;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }

  public OffsetDateTime getSentAt() {
    return sentAt;
  }

  public int getAttempts() {
    return attempts;
  }

  public String getLastError() {
    return lastError;
  }

  public boolean isAbandoned() {
    return abandoned;
  }
}
