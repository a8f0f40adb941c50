package io.integrationengine.core.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.PrimaryKeyJoinColumn;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.nio.charset.Charset;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The message envelope: the bytes exactly as received, what they are (content type, the charset to
 * read them with), where they came from (channel, sender address, the parent they were split
 * from), the attributes read from them for search and routing, and where the message stands.
 * Nothing here ever rewrites the bytes; transforms produce derived content per delivery.
 *
 * <p>Not in EclipseLink's shared cache: new envelopes are inserted, and routing's status changes
 * written, with JDBC ({@link io.integrationengine.core.services.JpaMessageRepository}), which the
 * cache would not see.
 *
 * <p>The content is a row of its own ({@code ENGINE_CONTENT}, written once and never updated), not
 * a column of the envelope's row: every status change rewrites the envelope's row, and on H2 also
 * keeps the old row in the transaction's undo log until the commit; with the content inline that
 * was the whole message each time (docs/benchmarks.md, session 13). Stores made before hold it in
 * {@code ENGINE_ENVELOPE.CONTENT} until {@link io.integrationengine.core.services.StoreSchema}
 * moves it at start-up. JPQL queries on this entity join both tables: counts and other reads that
 * need no content are native SQL on {@code ENGINE_ENVELOPE}.
 */
@Entity
@Cacheable(false)
@Table(
    name = "ENGINE_ENVELOPE",
    indexes = {
      @Index(name = "IX_ENVELOPE_STATUS", columnList = "STATUS,RECEIVED_AT"),
      @Index(name = "IX_ENVELOPE_CONTROL_ID", columnList = "CONTROL_ID"),
      @Index(name = "IX_ENVELOPE_RECEIVED", columnList = "RECEIVED_AT"),
      // a record of a file is stored once, however often its job is restarted (a unique index rather
      // than a constraint: EclipseLink adds a constraint again at every deploy, and logs the refusal);
      // it also finds a parent's records (its first column), so there is no index on PARENT_ID alone
      @Index(name = "UQ_ENVELOPE_RECORD", columnList = "PARENT_ID,RECORD_NUMBER", unique = true),
      // the operators' message browser filters by type and channel, newest first
      @Index(name = "IX_ENVELOPE_TYPE", columnList = "MESSAGE_TYPE,RECEIVED_AT"),
      @Index(name = "IX_ENVELOPE_CHANNEL", columnList = "CHANNEL,RECEIVED_AT")
    })
// no foreign key: its check would be a lookup per insert; the row is only ever written with its envelope
@SecondaryTable(
    name = StoredMessage.CONTENT_TABLE,
    pkJoinColumns = @PrimaryKeyJoinColumn(name = "MESSAGE_ID"),
    foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
@NamedQuery(name = StoredMessage.BY_STATUS, query = "select m from StoredMessage m where m.status = :status order by m.receivedAt desc")
@NamedQuery(name = StoredMessage.BY_MESSAGE_TYPE, query = "select m from StoredMessage m where m.messageType = :messageType order by m.receivedAt desc")
@NamedQuery(name = StoredMessage.BY_CONTROL_ID, query = "select m from StoredMessage m where m.controlId = :controlId order by m.receivedAt desc")
@NamedQuery(name = StoredMessage.LATEST, query = "select m from StoredMessage m order by m.receivedAt desc")
@NamedQuery(
    name = StoredMessage.BY_ATTRIBUTE,
    query = "select distinct m from StoredMessage m join m.attributes a where a.name = :name and a.value = :value order by m.receivedAt desc")
public class StoredMessage {

  public static final String BY_STATUS = "StoredMessage.byStatus";
  public static final String LATEST = "StoredMessage.latest";
  public static final String BY_CONTROL_ID = "StoredMessage.byControlId";
  public static final String BY_MESSAGE_TYPE = "StoredMessage.byMessageType";
  public static final String BY_ATTRIBUTE = "StoredMessage.byAttribute";

  /** The table of the messages' content, one row per envelope, keyed by its id ({@code MESSAGE_ID}). */
  public static final String CONTENT_TABLE = "ENGINE_CONTENT";

  /** Column widths: values longer than these are cut, so a long value never makes a message unstorable. */
  static final int CHANNEL_LENGTH = 1000;
  static final int SHORT_LENGTH = 200;
  static final int DETAIL_LENGTH = 4000;

  // the fields are package-private for StoredMessageRows, which writes and reads them without JPA
  @Id
  @Column(name = "ID", length = 36)
  String id;

  @Column(name = "RECEIVED_AT", nullable = false)
  OffsetDateTime receivedAt;

  @Column(name = "UPDATED_AT", nullable = false)
  OffsetDateTime updatedAt;

  /** When it was last handed to the routing stage: the recovery sweep re-sends what waited too long since. */
  @Column(name = "QUEUED_AT", nullable = false)
  OffsetDateTime queuedAt;

  /** Where it came in, e.g. {@code mllp:default}, {@code mllp:tls (CN=lab, O=...)}, {@code file:hl7}. */
  @Column(name = "CHANNEL", length = CHANNEL_LENGTH, nullable = false)
  String channel;

  @Column(name = "REMOTE_ADDRESS", length = SHORT_LENGTH)
  String remoteAddress;

  /** The file, batch or Bundle it was split from, if any. */
  @Column(name = "PARENT_ID", length = 36)
  String parentId;

  /** Its number in the parent (a file's records count from 1); with the parent id, unique. */
  @Column(name = "RECORD_NUMBER")
  Long recordNumber;

  @Enumerated(EnumType.STRING)
  @Column(name = "CONTENT_TYPE", length = 20, nullable = false)
  ContentType contentType;

  /** How to read the bytes as text (MSH-18, the channel's setting, or detected); never used to rewrite them. */
  @Column(name = "CHARSET", length = 40)
  String charset;

  /** The HL7v2 control id (MSH-10), or the format's equivalent: indexed for the most common search. */
  @Column(name = "CONTROL_ID", length = SHORT_LENGTH)
  String controlId;

  /** HL7v2 MSH-9 as code^trigger ({@code ADT^A01}); FHIR resource type. */
  @Column(name = "MESSAGE_TYPE", length = SHORT_LENGTH)
  String messageType;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  MessageStatus status;

  /** Why it is in its status: the parse error, the profile violations, the routes that matched. */
  @Column(name = "STATUS_DETAIL", length = DETAIL_LENGTH)
  String statusDetail;

  @Lob
  @Column(name = "CONTENT", table = CONTENT_TABLE, nullable = false)
  byte[] content;

  @ElementCollection(fetch = FetchType.EAGER)
  // no foreign key: its check was a lookup per attribute row, 40% of their insert on PostgreSQL; the
  // rows are only ever written with their envelope, in its transaction (StoredMessageRows.insert)
  @CollectionTable(
      name = "ENGINE_ATTRIBUTE",
      joinColumns = @JoinColumn(name = "MESSAGE_ID"),
      foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT),
      indexes = {@Index(name = "IX_ATTRIBUTE_VALUE", columnList = "NAME,ATTR_VALUE"), @Index(name = "IX_ATTRIBUTE_MESSAGE", columnList = "MESSAGE_ID")})
  List<MessageAttribute> attributes = new ArrayList<>();

  /** The W3C {@code traceparent} of the message's intake span, when tracing is on; its trace is the message's trace. */
  @Column(name = "TRACE_PARENT", length = 55)
  String traceParent;

  @Version
  @Column(name = "ROW_VERSION")
  long rowVersion;

  protected StoredMessage() {}

  /**
   * A copy that shares the content (never rewritten) and nothing else: what one stage changes on
   * it (its status) changes nothing elsewhere. Not managed by JPA.
   */
  public StoredMessage copy() {
    StoredMessage m = new StoredMessage();
    m.id = id;
    m.receivedAt = receivedAt;
    m.updatedAt = updatedAt;
    m.queuedAt = queuedAt;
    m.channel = channel;
    m.remoteAddress = remoteAddress;
    m.parentId = parentId;
    m.recordNumber = recordNumber;
    m.contentType = contentType;
    m.charset = charset;
    m.controlId = controlId;
    m.messageType = messageType;
    m.status = status;
    m.statusDetail = statusDetail;
    m.content = content;
    m.attributes = new ArrayList<>(attributes);
    m.traceParent = traceParent;
    m.rowVersion = rowVersion;
    return m;
  }

  /** The content's length in bytes. */
  public int contentLength() {
    return content == null ? 0 : content.length;
  }

  /** A newly received message, not yet stored. */
  public static StoredMessage received(byte[] content, ContentType contentType, Charset charset, String channel, String remoteAddress) {
    StoredMessage m = new StoredMessage();
    m.id = MessageIds.next();
    m.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
    m.updatedAt = m.receivedAt;
    m.queuedAt = m.receivedAt;
    m.content = content;
    m.contentType = contentType;
    m.charset = charset == null ? null : charset.name();
    m.channel = cut(channel, CHANNEL_LENGTH);
    m.remoteAddress = cut(remoteAddress, SHORT_LENGTH);
    m.status = MessageStatus.RECEIVED;
    return m;
  }

  /** Marks it as record {@code number} of {@code parent} (a file): the pair is unique in the store. */
  public StoredMessage childOf(String parent, long number) {
    this.parentId = parent;
    this.recordNumber = number;
    return this;
  }

  /**
   * The envelope of a file or batch, stored under the id its records already carry as their parent
   * id (they are stored first, chunk by chunk). It is not routed: its status is {@link MessageStatus#SPLIT}.
   */
  public static StoredMessage envelope(String id, byte[] content, ContentType contentType, Charset charset, String channel, String source) {
    StoredMessage m = received(content, contentType, charset, channel, source);
    m.id = id;
    m.status = MessageStatus.SPLIT;
    return m;
  }

  /** Marks it as split from {@code parent} (a file, a batch, a Bundle). */
  public StoredMessage childOf(String parent) {
    this.parentId = parent;
    return this;
  }

  /**
   * Adds what intake read from the content. The type and control id go to columns of their own
   * (indexed, one value each) and not also to the attribute rows: every row is three index entries
   * to write per message. {@link #attribute} and {@link #getAttributes} still show them.
   */
  public void describe(List<MessageAttribute> read) {
    for (MessageAttribute attribute : read) {
      if (Attributes.CONTROL_ID.equals(attribute.getName())) {
        if (controlId == null) {
          controlId = cut(attribute.getValue(), SHORT_LENGTH);
        }
      } else if (Attributes.MESSAGE_TYPE.equals(attribute.getName())) {
        if (messageType == null) {
          messageType = cut(attribute.getValue(), SHORT_LENGTH);
        }
      } else {
        attributes.add(attribute);
      }
    }
  }

  /** The value of an attribute kept in a column of its own, or null for the others. */
  private String column(String name) {
    if (Attributes.CONTROL_ID.equals(name)) {
      return controlId;
    }
    if (Attributes.MESSAGE_TYPE.equals(name)) {
      return messageType;
    }
    return null;
  }

  public void changeStatus(MessageStatus newStatus, String detail) {
    this.status = newStatus;
    this.statusDetail = cut(detail, DETAIL_LENGTH);
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max - 3) + "...";
  }

  /** Every value of attribute {@code name}, in the order read. */
  public List<String> attribute(String name) {
    String column = column(name);
    if (column != null) {
      return List.of(column);
    }
    return attributes.stream().filter(a -> a.getName().equals(name)).map(MessageAttribute::getValue).toList();
  }

  /** The first value of attribute {@code name}, or null. */
  public String firstAttribute(String name) {
    List<String> values = attribute(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The content as the engine delivers it when no transform changes it. */
  public Content content() {
    return new Content(content, contentType, charsetValue());
  }

  /** The charset to read the content with, or null for binary content. */
  public Charset charsetValue() {
    return charset == null ? null : Charset.forName(charset);
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

  public OffsetDateTime getQueuedAt() {
    return queuedAt;
  }

  public String getChannel() {
    return channel;
  }

  public String getRemoteAddress() {
    return remoteAddress;
  }

  public String getParentId() {
    return parentId;
  }

  public Long getRecordNumber() {
    return recordNumber;
  }

  public ContentType getContentType() {
    return contentType;
  }

  public String getCharset() {
    return charset;
  }

  public String getTraceParent() {
    return traceParent;
  }

  /** The message's trace id (32 hex digits), or null when it was not traced. */
  public String getTraceId() {
    return traceParent == null || traceParent.length() < 35 ? null : traceParent.substring(3, 35);
  }

  /** Records the intake span that starts the message's trace ({@code 00-<trace id>-<span id>-<flags>}). */
  public void traceWith(String traceParent) {
    this.traceParent = traceParent;
  }

  public String getControlId() {
    return controlId;
  }

  public String getMessageType() {
    return messageType;
  }

  public MessageStatus getStatus() {
    return status;
  }

  public String getStatusDetail() {
    return statusDetail;
  }

  public byte[] getContent() {
    return content;
  }

  /** Every attribute, those kept in columns (type, control id) first. */
  public List<MessageAttribute> getAttributes() {
    List<MessageAttribute> all = new ArrayList<>(attributes.size() + 2);
    if (messageType != null) {
      all.add(new MessageAttribute(Attributes.MESSAGE_TYPE, messageType));
    }
    if (controlId != null) {
      all.add(new MessageAttribute(Attributes.CONTROL_ID, controlId));
    }
    all.addAll(attributes);
    return List.copyOf(all);
  }
}
