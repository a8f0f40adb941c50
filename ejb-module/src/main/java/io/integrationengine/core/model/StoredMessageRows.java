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
 * On PostgreSQL a batch is one statement with array parameters ({@code unnest}, {@code = any(?)});
 * H2 gets JDBC batches and {@code IN} lists.
 */
public final class StoredMessageRows {

  private static final String ENVELOPES = "select e.ID, e.RECEIVED_AT, e.UPDATED_AT, e.QUEUED_AT, e.CHANNEL, e.REMOTE_ADDRESS, e.PARENT_ID, e.RECORD_NUMBER,"
      + " e.CONTENT_TYPE, e.CHARSET, e.CONTROL_ID, e.MESSAGE_TYPE, e.STATUS, e.STATUS_DETAIL, c.CONTENT, e.TRACE_PARENT, e.ROW_VERSION"
      + " from ENGINE_ENVELOPE e join " + StoredMessage.CONTENT_TABLE + " c on c.MESSAGE_ID = e.ID where e.ID in ";
  private static final String ATTRIBUTES = "select MESSAGE_ID, NAME, ATTR_VALUE from ENGINE_ATTRIBUTE where MESSAGE_ID in ";
  private static final String INSERT_ENVELOPE = "insert into ENGINE_ENVELOPE (ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, REMOTE_ADDRESS, PARENT_ID,"
      + " RECORD_NUMBER, CONTENT_TYPE, CHARSET, CONTROL_ID, MESSAGE_TYPE, STATUS, STATUS_DETAIL, TRACE_PARENT, ROW_VERSION)"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_CONTENT = "insert into " + StoredMessage.CONTENT_TABLE + " (MESSAGE_ID, CONTENT) values (?, ?)";
  private static final String INSERT_ATTRIBUTE = "insert into ENGINE_ATTRIBUTE (MESSAGE_ID, NAME, ATTR_VALUE) values (?, ?, ?)";
  private static final String UPDATE_STATUS = "update ENGINE_ENVELOPE set STATUS = ?, STATUS_DETAIL = ?, UPDATED_AT = ?, ROW_VERSION = ROW_VERSION + 1"
      + " where ID = ? and STATUS = ?";

  // PostgreSQL: one statement per batch whatever its size, the rows as arrays (unnest), instead of a
  // JDBC batch of one statement per row: a quarter less of the server's time for routing's status
  // updates (measured, 30,000 rows in batches of 100: 1.32-1.43 s as a JDBC batch, 1.02 s as one
  // unnest statement each), a tenth less for the attribute rows' inserts
  private static final String PG_INSERT_ATTRIBUTES = "insert into ENGINE_ATTRIBUTE (MESSAGE_ID, NAME, ATTR_VALUE)"
      + " select * from unnest(?::varchar[], ?::varchar[], ?::varchar[])";
  private static final String PG_UPDATE_STATUSES = "update ENGINE_ENVELOPE m set STATUS = u.S, STATUS_DETAIL = u.D, UPDATED_AT = u.T,"
      + " ROW_VERSION = m.ROW_VERSION + 1 from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamp[]) as u(I, S, D, T)"
      + " where m.ID = u.I and m.STATUS = ? returning m.ID";
  private static final String PG_ENVELOPES = ENVELOPES.substring(0, ENVELOPES.length() - " in ".length()) + " = any(?::varchar[])";
  private static final String PG_ATTRIBUTES = ATTRIBUTES.substring(0, ATTRIBUTES.length() - " in ".length()) + " = any(?::varchar[])";

  private StoredMessageRows() {}

  /**
   * Inserts new messages: the envelopes in one JDBC batch, their content rows in another, their
   * attribute rows in a third (on PostgreSQL in one statement), as {@code em.persist} writes them,
   * the first row version 1.
   */
  public static void insert(Connection connection, List<StoredMessage> batch) throws SQLException {
    if (postgres(connection)) {
      insertPostgres(connection, batch);
      return;
    }
    insertEnvelopes(connection, batch);
    try (PreparedStatement attributes = connection.prepareStatement(INSERT_ATTRIBUTE)) {
      int rows = 0;
      for (StoredMessage m : batch) {
        for (MessageAttribute attribute : m.attributes) {
          attributes.setString(1, m.id);
          attributes.setString(2, attribute.getName());
          attributes.setString(3, attribute.getValue());
          attributes.addBatch();
          rows++;
        }
      }
      if (rows > 0) {
        attributes.executeBatch();
      }
    }
  }

  private static void insertEnvelopes(Connection connection, List<StoredMessage> batch) throws SQLException {
    try (PreparedStatement envelopes = connection.prepareStatement(INSERT_ENVELOPE)) {
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
        envelopes.setString(++i, m.traceParent);
        envelopes.setLong(++i, 1L);
        envelopes.addBatch();
      }
      envelopes.executeBatch();
    }
    try (PreparedStatement contents = connection.prepareStatement(INSERT_CONTENT)) {
      for (StoredMessage m : batch) {
        contents.setString(1, m.id);
        contents.setBytes(2, m.content);
        contents.addBatch();
      }
      contents.executeBatch();
    }
  }

  private static void insertPostgres(Connection connection, List<StoredMessage> batch) throws SQLException {
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (StoredMessage m : batch) {
      for (MessageAttribute attribute : m.attributes) {
        ids.add(m.id);
        names.add(attribute.getName());
        values.add(attribute.getValue());
      }
    }
    insertEnvelopes(connection, batch);
    if (!ids.isEmpty()) {
      try (PreparedStatement attributes = connection.prepareStatement(PG_INSERT_ATTRIBUTES)) {
        attributes.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
        attributes.setArray(2, connection.createArrayOf("varchar", names.toArray()));
        attributes.setArray(3, connection.createArrayOf("varchar", values.toArray()));
        attributes.executeUpdate();
      }
    }
  }

  /**
   * Writes the status, its detail and time of each message whose stored status is still
   * {@code expected}, in one JDBC batch; the row version moves on as EclipseLink's would, so a
   * message an operator's page holds meanwhile is not overwritten. Returns the ids written.
   */
  public static Set<String> updateStatuses(Connection connection, List<StoredMessage> batch, MessageStatus expected) throws SQLException {
    if (postgres(connection)) {
      return updateStatusesPostgres(connection, batch, expected);
    }
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

  private static Set<String> updateStatusesPostgres(Connection connection, List<StoredMessage> batch, MessageStatus expected) throws SQLException {
    String[] ids = new String[batch.size()];
    String[] statuses = new String[batch.size()];
    String[] details = new String[batch.size()];
    Timestamp[] times = new Timestamp[batch.size()];
    for (int i = 0; i < ids.length; i++) {
      StoredMessage m = batch.get(i);
      ids[i] = m.id;
      statuses[i] = m.status.name();
      details[i] = m.statusDetail;
      times[i] = timestamp(m.updatedAt);
    }
    Set<String> saved = new LinkedHashSet<>();
    try (PreparedStatement update = connection.prepareStatement(PG_UPDATE_STATUSES)) {
      update.setArray(1, connection.createArrayOf("varchar", ids));
      update.setArray(2, connection.createArrayOf("varchar", statuses));
      update.setArray(3, connection.createArrayOf("varchar", details));
      update.setArray(4, connection.createArrayOf("timestamp", times));
      update.setString(5, expected.name());
      try (ResultSet r = update.executeQuery()) {
        while (r.next()) {
          saved.add(r.getString(1));
        }
      }
    }
    return saved;
  }

  /** Whether the connection is to PostgreSQL, whose array parameters make a batch one statement. */
  private static boolean postgres(Connection connection) throws SQLException {
    return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
  }

  /** The stored messages of these ids, in no particular order; an attribute's values in the order stored. */
  public static List<StoredMessage> read(Connection connection, Collection<String> ids) throws SQLException {
    List<String> distinct = ids.stream().distinct().toList();
    Map<String, StoredMessage> found = new LinkedHashMap<>();
    boolean postgres = postgres(connection);
    try (PreparedStatement select = postgres ? connection.prepareStatement(PG_ENVELOPES) : connection.prepareStatement(ENVELOPES + placeholders(distinct.size()))) {
      bind(connection, select, postgres, distinct);
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
    try (PreparedStatement select = postgres ? connection.prepareStatement(PG_ATTRIBUTES) : connection.prepareStatement(ATTRIBUTES + placeholders(present.size()))) {
      bind(connection, select, postgres, present);
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

  /**
   * The columns are TIMESTAMP (EclipseLink's mapping of OffsetDateTime): bound as JDBC timestamps,
   * as it binds them; every JDBC writer and native query of the store binds its times so.
   */
  public static Timestamp timestamp(OffsetDateTime time) {
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

  private static void bind(Connection connection, PreparedStatement select, boolean postgres, List<String> values) throws SQLException {
    if (postgres) {
      select.setArray(1, connection.createArrayOf("varchar", values.toArray()));
      return;
    }
    int size = size(values.size());
    for (int i = 0; i < size; i++) {
      select.setString(i + 1, values.get(Math.min(i, values.size() - 1)));
    }
  }
}
