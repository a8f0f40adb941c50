package io.integrationengine.core.services;

import io.integrationengine.core.model.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Moves the messages' content out of the envelope's row ({@code ENGINE_ENVELOPE.CONTENT}, where
 * earlier versions kept it) into its own table ({@link StoredMessage#CONTENT_TABLE}), a thousand
 * messages per transaction in the order of their ids, then drops the column. Safe to run again
 * after a failure or a crash half way (it copies only what is not copied yet), and by two servers
 * on one PostgreSQL store at once (the second finds the work done). A store without the column (new,
 * or moved already) is left as it is. Plain JDBC on the caller's connection, which it sets to
 * auto-commit: the moves are committed as they go, so a large store needs no transaction of its size.
 */
public final class ContentMigration {

  public static final int BATCH = 1000;

  private static final String HAS_COLUMN = "select count(*) from information_schema.columns"
      + " where upper(table_name) = 'ENGINE_ENVELOPE' and upper(column_name) = 'CONTENT' and table_schema = current_schema";
  private static final String LAST_OF_BATCH = "select max(ID) from (select ID from ENGINE_ENVELOPE where ID > ? order by ID fetch first " + BATCH
      + " rows only) b";
  private static final String MOVE = "insert into " + StoredMessage.CONTENT_TABLE + " (MESSAGE_ID, CONTENT) select e.ID, e.CONTENT from ENGINE_ENVELOPE e"
      + " where e.ID > ? and e.ID <= ? and e.CONTENT is not null and not exists (select 1 from " + StoredMessage.CONTENT_TABLE + " c where c.MESSAGE_ID = e.ID)";

  private ContentMigration() {}

  /** Moves the content and drops the column; returns how many messages' content it moved, or -1 if the store has no such column. */
  public static long run(Connection connection) throws SQLException {
    if (!hasEnvelopeContent(connection)) {
      return -1;
    }
    connection.setAutoCommit(true);
    long moved = 0;
    String after = "";
    try (PreparedStatement last = connection.prepareStatement(LAST_OF_BATCH); PreparedStatement move = connection.prepareStatement(MOVE)) {
      while (true) {
        last.setString(1, after);
        String until;
        try (ResultSet r = last.executeQuery()) {
          until = r.next() ? r.getString(1) : null;
        }
        if (until == null) {
          break;
        }
        move.setString(1, after);
        move.setString(2, until);
        moved += move.executeUpdate();
        after = until;
      }
    }
    try (Statement drop = connection.createStatement()) {
      drop.execute("alter table ENGINE_ENVELOPE drop column CONTENT");
    } catch (SQLException e) {
      // another server's run may have dropped it meanwhile
      if (hasEnvelopeContent(connection)) {
        throw e;
      }
    }
    return moved;
  }

  /** Whether the envelope's table still has the content column of earlier versions. */
  public static boolean hasEnvelopeContent(Connection connection) throws SQLException {
    try (Statement q = connection.createStatement(); ResultSet r = q.executeQuery(HAS_COLUMN)) {
      return r.next() && r.getLong(1) > 0;
    }
  }
}
