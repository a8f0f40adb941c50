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
 * One occurrence of an alert: opened when its rule's condition held, resolved when it no longer
 * did. At most one alert of a rule is open at a time, even with several instances checking: the
 * column {@code OPEN_RULE} holds the rule's name while the alert is open (null once resolved) and
 * is unique, so a second instance's attempt to open the same alert fails to commit.
 */
@Entity
@Table(name = "ENGINE_ALERT", indexes = {@Index(name = "UQ_ALERT_OPEN_RULE", columnList = "OPEN_RULE", unique = true),
    @Index(name = "IX_ALERT_OPENED", columnList = "OPENED_AT")})
@NamedQuery(name = Alert.OPEN, query = "select a from Alert a where a.state = :state order by a.openedAt desc")
@NamedQuery(name = Alert.RESOLVED, query = "select a from Alert a where a.state = :state order by a.resolvedAt desc")
public class Alert {

  /** Open alerts, newest first (parameter {@code state}: OPEN). */
  public static final String OPEN = "Alert.open";
  /** Resolved alerts, latest resolved first (parameter {@code state}: RESOLVED). */
  public static final String RESOLVED = "Alert.resolved";

  public enum State {
    OPEN, RESOLVED
  }

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Column(name = "RULE_NAME", length = 200, nullable = false)
  private String rule;

  @Column(name = "RULE_TYPE", length = 20, nullable = false)
  private String type;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATE", length = 10, nullable = false)
  private State state;

  /** The rule's name while open, null once resolved: unique, so one open alert per rule. */
  @Column(name = "OPEN_RULE", length = 200)
  private String openRule;

  @Column(name = "OPENED_AT", nullable = false)
  private OffsetDateTime openedAt;

  @Column(name = "RESOLVED_AT")
  private OffsetDateTime resolvedAt;

  /** The figure last checked (depth, count, share, minutes). */
  @Column(name = "CHECKED_VALUE")
  private double value;

  @Column(name = "DETAIL", length = 2000)
  private String detail;

  @Column(name = "CHECKED_AT", nullable = false)
  private OffsetDateTime checkedAt;

  /** Where its notifications go, fixed when it opened: {@code mail:...,webhook:...}. */
  @Column(name = "NOTIFY_TARGETS", length = 2000)
  private String notify;

  @Version
  @Column(name = "VERSION")
  private long version;

  protected Alert() {}

  public Alert(AlertRule rule, double value, String detail, Instant at) {
    this.id = MessageIds.next();
    this.rule = rule.name();
    this.type = rule.type().key();
    this.state = State.OPEN;
    this.openRule = rule.name();
    this.openedAt = at.atOffset(ZoneOffset.UTC);
    this.checkedAt = openedAt;
    this.value = finite(value);
    this.detail = cut(detail);
    this.notify = cut(String.join(",", rule.targets().stream().map(NotifyTarget::toString).toList()));
  }

  void checked(double value, String detail, Instant at) {
    this.value = finite(value);
    this.detail = cut(detail);
    this.checkedAt = at.atOffset(ZoneOffset.UTC);
  }

  void resolve(double value, String detail, Instant at) {
    checked(value, detail, at);
    this.state = State.RESOLVED;
    this.openRule = null;
    this.resolvedAt = checkedAt;
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0;
  }

  private static String cut(String value) {
    return value == null || value.length() <= 2000 ? value : value.substring(0, 2000);
  }

  public String getId() {
    return id;
  }

  public String getRule() {
    return rule;
  }

  public String getType() {
    return type;
  }

  public State getState() {
    return state;
  }

  public OffsetDateTime getOpenedAt() {
    return openedAt;
  }

  public OffsetDateTime getResolvedAt() {
    return resolvedAt;
  }

  public double getValue() {
    return value;
  }

  public String getDetail() {
    return detail;
  }

  public OffsetDateTime getCheckedAt() {
    return checkedAt;
  }

  public String getNotify() {
    return notify;
  }
}
