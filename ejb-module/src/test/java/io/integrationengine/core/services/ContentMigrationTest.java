package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContentMigration} on a real H2 file database shaped as earlier versions left it (the
 * content in {@code ENGINE_ENVELOPE.CONTENT}, {@code ENGINE_CONTENT} as JPA's schema generation adds
 * it at the first deploy of this version). The same statements run on PostgreSQL in
 * {@code ContentMigrationIT}.
 */
class ContentMigrationTest {

  @TempDir
  Path dir;

  @Test
  void movesEveryMessagesBytesUnchangedAndDropsTheColumn() throws SQLException {
    try (Connection c = connection()) {
      legacyStore(c);
      Map<String, byte[]> stored = new HashMap<>();
      // more than two batches, ids out of insertion order
      for (int i = 0; i < ContentMigration.BATCH * 2 + 7; i++) {
        String id = String.format("%08x-0000-7000-8000-%012d", (i * 7919) % 100_000, i);
        byte[] content = ("MSH|^~\\&|A|B|C|D|20261129||ADT^A01|" + i + "|P|2.5\rPID|1||" + i + "\r\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        insertLegacy(c, id, content);
        stored.put(id, content);
      }
      // a message written by this version (its content already in its own row) while the column was still there
      insertLegacy(c, "ffffffff-0000-7000-8000-000000000000", null);
      insertContent(c, "ffffffff-0000-7000-8000-000000000000", new byte[] {0, 13, 10, (byte) 0xff});
      stored.put("ffffffff-0000-7000-8000-000000000000", new byte[] {0, 13, 10, (byte) 0xff});

      assertThat(ContentMigration.run(c)).isEqualTo(ContentMigration.BATCH * 2L + 7);

      assertThat(ContentMigration.hasEnvelopeContent(c)).isFalse();
      assertThat(contents(c)).containsOnlyKeys(stored.keySet());
      stored.forEach((id, bytes) -> assertThat(contents(c).get(id)).as(id).isEqualTo(bytes));
    }
  }

  @Test
  void aRunStoppedHalfWayIsFinishedByTheNextAndANewStoreIsLeftAsItIs() throws SQLException {
    try (Connection c = connection()) {
      legacyStore(c);
      insertLegacy(c, "a", new byte[] {1});
      insertLegacy(c, "b", new byte[] {2});
      // the first run copied "a" and the server died before it dropped the column
      insertContent(c, "a", new byte[] {1});

      assertThat(ContentMigration.run(c)).isEqualTo(1);
      assertThat(contents(c)).containsOnlyKeys("a", "b");
      assertThat(ContentMigration.run(c)).as("nothing left to move").isEqualTo(-1);
      assertThat(contents(c)).containsOnlyKeys("a", "b");
    }
  }

  private Connection connection() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:" + dir.resolve("store").toAbsolutePath(), "sa", "");
  }

  /** The tables as EclipseLink made them for earlier versions, and ENGINE_CONTENT as it adds it for this one (columns that matter here). */
  private static void legacyStore(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create table ENGINE_ENVELOPE (ID varchar(36) primary key, STATUS varchar(20), CONTENT varbinary)");
      s.execute("create table ENGINE_CONTENT (MESSAGE_ID varchar(36) primary key, CONTENT varbinary not null)");
    }
  }

  private static void insertLegacy(Connection c, String id, byte[] content) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_ENVELOPE (ID, STATUS, CONTENT) values (?, 'ROUTED', ?)")) {
      insert.setString(1, id);
      insert.setBytes(2, content);
      insert.executeUpdate();
    }
  }

  private static void insertContent(Connection c, String id, byte[] content) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_CONTENT (MESSAGE_ID, CONTENT) values (?, ?)")) {
      insert.setString(1, id);
      insert.setBytes(2, content);
      insert.executeUpdate();
    }
  }

  private static Map<String, byte[]> contents(Connection c) {
    Map<String, byte[]> found = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select MESSAGE_ID, CONTENT from ENGINE_CONTENT")) {
      while (r.next()) {
        found.put(r.getString(1), r.getBytes(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }
}
