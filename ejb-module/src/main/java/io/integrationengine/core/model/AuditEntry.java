package io.integrationengine.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One line of the audit trail: who did what to which message or destination, when, and from
 * where. Append-only: the application never changes or deletes a line (the entity refuses to).
 */
@Entity
@Table(
    name = "ENGINE_AUDIT",
    indexes = {
      @Index(name = "IX_AUDIT_AT", columnList = "AUDITED_AT"),
      @Index(name = "IX_AUDIT_ACTOR", columnList = "ACTOR,AUDITED_AT"),
      @Index(name = "IX_AUDIT_SUBJECT", columnList = "SUBJECT")
    })
public class AuditEntry {

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Column(name = "AUDITED_AT", nullable = false)
  private OffsetDateTime at;

  /** The user or client, as its token names it. */
  @Column(name = "ACTOR", length = 200, nullable = false)
  private String actor;

  @Enumerated(EnumType.STRING)
  @Column(name = "AUDIT_ACTION", length = 20, nullable = false)
  private AuditAction action;

  /** The message id, or {@code destination:<name>}. */
  @Column(name = "SUBJECT", length = 300)
  private String subject;

  @Column(name = "DETAIL", length = 2000)
  private String detail;

  /** The address the request came from. */
  @Column(name = "SOURCE", length = 200)
  private String source;

  protected AuditEntry() {}

  public AuditEntry(String actor, AuditAction action, String subject, String detail, String source) {
    this.id = MessageIds.next();
    this.at = OffsetDateTime.now(ZoneOffset.UTC);
    this.actor = cut(actor == null ? "(anonymous)" : actor, 200);
    this.action = action;
    this.subject = cut(subject, 300);
    this.detail = cut(detail, 2000);
    this.source = cut(source, 200);
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  @PreUpdate
  @PreRemove
  void appendOnly() {
    throw new IllegalStateException("The audit trail is append-only: entry " + id + " cannot be changed or removed");
  }

  public String getId() {
    return id;
  }

  public OffsetDateTime getAt() {
    return at;
  }

  public String getActor() {
    return actor;
  }

  public AuditAction getAction() {
    return action;
  }

  public String getSubject() {
    return subject;
  }

  public String getDetail() {
    return detail;
  }

  public String getSource() {
    return source;
  }
}
