package io.integrationengine.core.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery records' columns, as {@link DeliveryRecord} maps them, written with plain JDBC on
 * the caller's connection for the pipeline's hot paths, as {@link StoredMessageRows} writes the
 * envelopes: routing's new records in one JDBC batch, and the delivery worker's outcomes as
 * conditional updates in one or two. Through EclipseLink the worker read every record into an
 * entity, changed it and let the unit of work compute and write the change: 30% of delivery's CPU
 * samples, and the persist of new records 17% of routing's. {@code DeliveryRecord} is not in
 * EclipseLink's shared cache, which would not see these writes.
 */
public final class DeliveryRows {

  private static final String INSERT = "insert into ENGINE_DELIVERY (ID, MESSAGE_ID, ROUTE_NAME, DESTINATION, ORDER_KEY, STATUS, ATTEMPTS, UPDATED_AT)"
      + " values (?, ?, ?, ?, ?, ?, ?, ?)";

  /** The most statuses a status can be reached from ({@link DeliveryStatus#canMoveTo}); fewer are bound again. */
  private static final int FROM_STATUSES = 3;

  /** Per status, the statuses a delivery may move to it from. */
  private static final Map<DeliveryStatus, List<DeliveryStatus>> FROM = new EnumMap<>(DeliveryStatus.class);

  static {
    for (DeliveryStatus to : DeliveryStatus.values()) {
      List<DeliveryStatus> from = Arrays.stream(DeliveryStatus.values()).filter(s -> s.canMoveTo(to)).toList();
      if (from.size() > FROM_STATUSES) {
        throw new IllegalStateException(to + " can be reached from more statuses than bound: " + from);
      }
      FROM.put(to, from);
    }
  }

  // forward only: the statuses it may move from are bound; ATTEMPTS never goes down, TARGET is kept when none is given
  private static final String OUTCOME = "update ENGINE_DELIVERY set STATUS = ?, ATTEMPTS = case when ATTEMPTS > ? then ATTEMPTS else ? end,"
      + " LAST_ERROR = ?, TARGET = coalesce(?, TARGET), UPDATED_AT = ?";
  private static final String WHERE = " where ID = ? and STATUS in (?, ?, ?)";
  private static final String RECORD_OUTCOME = OUTCOME + WHERE;
  private static final String RECORD_OUTCOME_SENT = OUTCOME + ", SENT_CONTENT = ?, SENT_CONTENT_TYPE = ?, SENT_CHARSET = ?" + WHERE;

  private DeliveryRows() {}

  /** Inserts new records (PENDING, no attempt yet), in one JDBC batch. */
  public static void insert(Connection connection, Collection<DeliveryRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (DeliveryRecord r : records) {
        int i = 0;
        insert.setString(++i, r.getId());
        insert.setString(++i, r.getMessageId());
        insert.setString(++i, r.getRoute());
        insert.setString(++i, r.getDestination());
        insert.setString(++i, r.getOrderKey());
        insert.setString(++i, r.getStatus().name());
        insert.setInt(++i, r.getAttempts());
        insert.setTimestamp(++i, StoredMessageRows.timestamp(r.getUpdatedAt()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** One delivery's outcome, as {@link DeliveryRecord#record} and {@link DeliveryRecord#sent} take it. */
  public record Outcome(String key, DeliveryStatus status, int attempts, String error, String target, Content sent) {}

  /**
   * Writes each outcome whose record exists and may move to its status, as
   * {@link DeliveryRecord#record} would (and, when given, the content sent); the original and the
   * transformed ones in a JDBC batch each. Returns per outcome, in order, whether it was written.
   */
  public static boolean[] record(Connection connection, List<Outcome> outcomes, OffsetDateTime now) throws SQLException {
    boolean[] written = new boolean[outcomes.size()];
    List<Integer> plain = new ArrayList<>();
    List<Integer> withSent = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      (outcomes.get(i).sent() == null ? plain : withSent).add(i);
    }
    Timestamp at = StoredMessageRows.timestamp(now);
    update(connection, RECORD_OUTCOME, outcomes, plain, at, written);
    update(connection, RECORD_OUTCOME_SENT, outcomes, withSent, at, written);
    return written;
  }

  private static void update(Connection connection, String sql, List<Outcome> outcomes, List<Integer> which, Timestamp at, boolean[] written)
      throws SQLException {
    if (which.isEmpty()) {
      return;
    }
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      for (int index : which) {
        Outcome o = outcomes.get(index);
        int i = 0;
        update.setString(++i, o.status().name());
        update.setInt(++i, o.attempts());
        update.setInt(++i, o.attempts());
        update.setString(++i, cut(o.error(), DeliveryRecord.ERROR_LENGTH));
        update.setString(++i, cut(o.target(), DeliveryRecord.TARGET_LENGTH));
        update.setTimestamp(++i, at);
        if (o.sent() != null) {
          update.setBytes(++i, o.sent().bytes());
          update.setString(++i, o.sent().type().name());
          if (o.sent().charset() == null) {
            update.setNull(++i, Types.VARCHAR);
          } else {
            update.setString(++i, o.sent().charset().name());
          }
        }
        update.setString(++i, o.key());
        List<DeliveryStatus> from = FROM.get(o.status());
        for (int s = 0; s < FROM_STATUSES; s++) {
          // none: a status nothing moves to (PENDING) matches no row
          update.setString(++i, from.isEmpty() ? "" : from.get(Math.min(s, from.size() - 1)).name());
        }
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      for (int k = 0; k < counts.length; k++) {
        written[which.get(k)] = counts[k] > 0 || counts[k] == Statement.SUCCESS_NO_INFO;
      }
    }
  }

  /** Of these keys, those that have a record. */
  public static Set<String> existing(Connection connection, Collection<String> keys) throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement q = connection.prepareStatement("select ID from ENGINE_DELIVERY where ID = ?")) {
      for (String key : keys) {
        q.setString(1, key);
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            found.add(r.getString(1));
          }
        }
      }
    }
    return found;
  }

  private static String cut(String value, int length) {
    return value == null || value.length() <= length ? value : value.substring(0, length);
  }
}
