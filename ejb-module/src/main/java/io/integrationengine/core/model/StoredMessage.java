package io.integrationengine.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A message as the engine received it, with what intake read from its header and where it stands.
 * The content is kept exactly as received so it can be delivered, inspected and replayed.
 */
@Entity
@Table(
    name = "ENGINE_MESSAGE",
    indexes = {
      @Index(name = "IX_MESSAGE_STATUS", columnList = "STATUS,RECEIVED_AT"),
      @Index(name = "IX_MESSAGE_CONTROL_ID", columnList = "CONTROL_ID")
    })
@NamedQuery(name = StoredMessage.BY_STATUS, query = "select m from StoredMessage m where m.status = :status order by m.receivedAt desc")
@NamedQuery(name = StoredMessage.BY_CONTROL_ID, query = "select m from StoredMessage m where m.controlId = :controlId order by m.receivedAt desc")
@NamedQuery(name = StoredMessage.WAITING_SINCE, query = "select m from StoredMessage m where m.status = :status and m.updatedAt < :before order by m.receivedAt")
@NamedQuery(name = StoredMessage.LATEST, query = "select m from StoredMessage m order by m.receivedAt desc")
public class StoredMessage {

  public static final String BY_STATUS = "StoredMessage.byStatus";
  public static final String LATEST = "StoredMessage.latest";
  public static final String BY_CONTROL_ID = "StoredMessage.byControlId";
  public static final String WAITING_SINCE = "StoredMessage.waitingSince";

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Column(name = "RECEIVED_AT", nullable = false)
  private OffsetDateTime receivedAt;

  @Column(name = "UPDATED_AT", nullable = false)
  private OffsetDateTime updatedAt;

  /** Where it came in, e.g. {@code mllp:default}. */
  @Column(name = "CHANNEL", length = 100, nullable = false)
  private String channel;

  @Column(name = "REMOTE_ADDRESS", length = 100)
  private String remoteAddress;

  @Column(name = "SENDING_APPLICATION", length = 200)
  private String sendingApplication;

  @Column(name = "SENDING_FACILITY", length = 200)
  private String sendingFacility;

  @Column(name = "CONTROL_ID", length = 200)
  private String controlId;

  /** MSH-9 as code^trigger, e.g. {@code ADT^A01}. */
  @Column(name = "MESSAGE_TYPE", length = 50)
  private String messageType;

  @Column(name = "HL7_VERSION", length = 20)
  private String hl7Version;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  private MessageStatus status;

  /** Why it is in its status: the parse error, the routes that matched, and so on. */
  @Column(name = "STATUS_DETAIL", length = 2000)
  private String statusDetail;

  @Column(name = "CHARSET", length = 40, nullable = false)
  private String charset;

  @Lob
  @Column(name = "CONTENT", nullable = false)
  private String content;

  @Version
  @Column(name = "ROW_VERSION")
  private long rowVersion;

  protected StoredMessage() {}

  /** A newly received message, not yet stored. */
  public static StoredMessage received(String content, String charset, String channel, String remoteAddress) {
    StoredMessage m = new StoredMessage();
    m.id = UUID.randomUUID().toString();
    m.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
    m.updatedAt = m.receivedAt;
    m.content = content;
    m.charset = charset;
    m.channel = channel;
    m.remoteAddress = remoteAddress;
    m.status = MessageStatus.RECEIVED;
    return m;
  }

  /** Copies what intake read from the header. */
  public void describe(MessageHeader header) {
    this.sendingApplication = truncate(header.sendingApplication(), 200);
    this.sendingFacility = truncate(header.sendingFacility(), 200);
    this.controlId = truncate(header.controlId(), 200);
    this.messageType = truncate(header.messageType(), 50);
    this.hl7Version = truncate(header.version(), 20);
  }

  public void changeStatus(MessageStatus newStatus, String detail) {
    this.status = newStatus;
    this.statusDetail = truncate(detail, 2000);
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  public String getId() {
    return id;
  }

  public OffsetDateTime getReceivedAt() {
    return receivedAt;
  }

  public OffsetDateTime getUpdatedAt() {
    return updatedAt;
  }

  public String getChannel() {
    return channel;
  }

  public String getRemoteAddress() {
    return remoteAddress;
  }

  public String getSendingApplication() {
    return sendingApplication;
  }

  public String getSendingFacility() {
    return sendingFacility;
  }

  public String getControlId() {
    return controlId;
  }

  public String getMessageType() {
    return messageType;
  }

  public String getHl7Version() {
    return hl7Version;
  }

  public MessageStatus getStatus() {
    return status;
  }

  public String getStatusDetail() {
    return statusDetail;
  }

  public String getCharset() {
    return charset;
  }

  public String getContent() {
    return content;
  }
}
