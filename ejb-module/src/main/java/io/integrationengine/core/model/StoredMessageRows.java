package io.integrationengine.core.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The envelope's and its attribute rows' columns, as {@link StoredMessage} maps them, written and
 * read with plain JDBC on the caller's connection, for the pipeline's hot paths; EclipseLink still
 * serves the other reads and writes. Through EclipseLink, persisting new messages was a fifth of
 * intake's CPU (its unit of work: clones, change sets, commit ordering), and reading the messages
 * routing and delivery handle (its batch read of the attribute collection, the objects it builds per
 * row) a quarter of the engine's CPU under file load. Messages read here are copies, never managed by
 * JPA; {@code StoredMessage} is not in EclipseLink's shared cache, which would not see these writes.
 */
public final class StoredMessageRows {

  private static final String ENVELOPES = "select ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, REMOTE_ADDRESS, PARENT_ID, RECORD_NUMBER, CONTENT_TYPE,"
      + " CHARSET, CONTROL_ID, MESSAGE_TYPE, STATUS, STATUS_DETAIL, CONTENT, TRACE_PARENT, ROW_VERSION from ENGINE_ENVELOPE where ID in ";
  private static final String ATTRIBUTES = "select MESSAGE_ID, NAME, ATTR_VALUE from ENGINE_ATTRIBUTE where MESSAGE_ID in ";
  private static final String INSERT_ENVELOPE = "insert into ENGINE_ENVELOPE (ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, REMOTE_ADDRESS, PARENT_ID,"
      + " RECORD_NUMBER, CONTENT_TYPE, CHARSET, CONTROL_ID, MESSAGE_TYPE, STATUS, STATUS_DETAIL, CONTENT, TRACE_PARENT, ROW_VERSION)"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_ATTRIBUTE = "insert into ENGINE_ATTRIBUTE (MESSAGE_ID, NAME, ATTR_VALUE) values (?, ?, ?)";
  private static final String UPDATE_STATUS = "update ENGINE_ENVELOPE set STATUS = ?, STATUS_DETAIL = ?, UPDATED_AT = ?, ROW_VERSION = ROW_VERSION + 1"
      + " where ID = ? and STATUS = ?";

  private StoredMessageRows() {}

  /**
   * Inserts new messages: the envelopes in one JDBC batch, their attribute rows in another (as
   * {@code em.persist} writes them, the first row version 1).
   */
  public static void insert(Connection connection, List<StoredMessage> batch) throws SQLException {
    try (PreparedStatement envelopes = connection.prepareStatement(INSERT_ENVELOPE);
        PreparedStatement attributes = connection.prepareStatement(INSERT_ATTRIBUTE)) {
      int rows = 0;
      for (StoredMessage m : batch) {
        int i = 0;
        envelopes.setString(++i, m.id);
        envelopes.setTimestamp(++i, timestamp(m.receivedAt));
        envelopes.setTimestamp(++i, timestamp(m.updatedAt));
        envelopes.setTimestamp(++i, timestamp(m.queuedAt));
        envelopes.setString(++i, m.channel);
        envelopes.setString(++i, m.remoteAddress);
        envelopes.setString(++i, m.parentId);
        if (m.recordNumber == null) {
          envelopes.setNull(++i, Types.BIGINT);
        } else {
          envelopes.setLong(++i, m.recordNumber);
        }
        envelopes.setString(++i, m.contentType.name());
        envelopes.setString(++i, m.charset);
        envelopes.setString(++i, m.controlId);
        envelopes.setString(++i, m.messageType);
        envelopes.setString(++i, m.status.name());
        envelopes.setString(++i, m.statusDetail);
        envelopes.setBytes(++i, m.content);
        envelopes.setString(++i, m.traceParent);
        envelopes.setLong(++i, 1L);
        envelopes.addBatch();
        for (MessageAttribute attribute : m.attributes) {
          attributes.setString(1, m.id);
          attributes.setString(2, attribute.getName());
          attributes.setString(3, attribute.getValue());
          attributes.addBatch();
          rows++;
        }
      }
      envelopes.executeBatch();
      if (rows > 0) {
        attributes.executeBatch();
      }
    }
  }

  /**
   * Writes the status, its detail and time of each message whose stored status is still
   * {@code expected}, in one JDBC batch; the row version moves on as EclipseLink's would, so a
   * message an operator's page holds meanwhile is not overwritten. Returns the ids written.
   */
  public static Set<String> updateStatuses(Connection connection, List<StoredMessage> batch, MessageStatus expected) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE_STATUS)) {
      for (StoredMessage m : batch) {
        update.setString(1, m.status.name());
        update.setString(2, m.statusDetail);
        update.setTimestamp(3, timestamp(m.updatedAt));
        update.setString(4, m.id);
        update.setString(5, expected.name());
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      Set<String> saved = new LinkedHashSet<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) {
          saved.add(batch.get(i).id);
        }
      }
      return saved;
    }
  }

  /** The stored messages of these ids, in no particular order; an attribute's values in the order stored. */
  public static List<StoredMessage> read(Connection connection, Collection<String> ids) throws SQLException {
    List<String> distinct = ids.stream().distinct().toList();
    Map<String, StoredMessage> found = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement(ENVELOPES + placeholders(distinct.size()))) {
      bind(select, distinct);
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          StoredMessage m = envelope(r);
          found.put(m.getId(), m);
        }
      }
    }
    if (found.isEmpty()) {
      return List.of();
    }
    List<String> present = List.copyOf(found.keySet());
    try (PreparedStatement select = connection.prepareStatement(ATTRIBUTES + placeholders(present.size()))) {
      bind(select, present);
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          StoredMessage m = found.get(r.getString(1));
          if (m != null) {
            m.attributes.add(new MessageAttribute(r.getString(2), r.getString(3)));
          }
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  private static StoredMessage envelope(ResultSet r) throws SQLException {
    StoredMessage m = new StoredMessage();
    m.id = r.getString(1);
    m.receivedAt = time(r.getTimestamp(2));
    m.updatedAt = time(r.getTimestamp(3));
    m.queuedAt = time(r.getTimestamp(4));
    m.channel = r.getString(5);
    m.remoteAddress = r.getString(6);
    m.parentId = r.getString(7);
    long number = r.getLong(8);
    m.recordNumber = r.wasNull() ? null : number;
    m.contentType = ContentType.valueOf(r.getString(9));
    m.charset = r.getString(10);
    m.controlId = r.getString(11);
    m.messageType = r.getString(12);
    m.status = MessageStatus.valueOf(r.getString(13));
    m.statusDetail = r.getString(14);
    m.content = r.getBytes(15);
    m.traceParent = r.getString(16);
    m.rowVersion = r.getLong(17);
    return m;
  }

  /** The columns are TIMESTAMP (EclipseLink's mapping of OffsetDateTime): bound as JDBC timestamps, as it binds them. */
  private static Timestamp timestamp(OffsetDateTime time) {
    return Timestamp.from(time.toInstant());
  }

  private static OffsetDateTime time(Timestamp t) {
    return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
  }

  /**
   * {@code (?, ?, ...)} for {@code n} values, rounded up to a power of two (the last value bound
   * again), so that the server and the pool's statement cache see a few statements, not one per size.
   */
  private static String placeholders(int n) {
    int size = size(n);
    StringBuilder in = new StringBuilder(size * 3 + 2).append('(');
    for (int i = 0; i < size; i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    return in.append(')').toString();
  }

  private static int size(int n) {
    return Math.max(8, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
  }

  private static void bind(PreparedStatement select, List<String> values) throws SQLException {
    int size = size(values.size());
    for (int i = 0; i < size; i++) {
      select.setString(i + 1, values.get(Math.min(i, values.size() - 1)));
    }
  }
}
