package io.integrationengine.core.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads envelopes with their attributes by id with plain JDBC, the columns {@link StoredMessage}
 * maps: two statements (envelopes, then their attribute rows). Routing and delivery read every
 * message they handle so; through EclipseLink (its batch read of the attribute collection, the
 * objects it builds per row) that read was a quarter of the engine's CPU under file load. The
 * messages are copies, never managed by JPA.
 */
public final class StoredMessageRows {

  private static final String ENVELOPES = "select ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, REMOTE_ADDRESS, PARENT_ID, RECORD_NUMBER, CONTENT_TYPE,"
      + " CHARSET, CONTROL_ID, MESSAGE_TYPE, STATUS, STATUS_DETAIL, CONTENT, TRACE_PARENT, ROW_VERSION from ENGINE_ENVELOPE where ID in ";
  private static final String ATTRIBUTES = "select MESSAGE_ID, NAME, ATTR_VALUE from ENGINE_ATTRIBUTE where MESSAGE_ID in ";

  private StoredMessageRows() {}

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

  /** The columns are TIMESTAMP, written as {@code Timestamp.from(instant)} (JpaMessageRepository.addAll) and by EclipseLink alike. */
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
