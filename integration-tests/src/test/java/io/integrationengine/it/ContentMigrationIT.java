package io.integrationengine.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.integrationengine.core.services.ContentMigration;
import jakarta.annotation.Resource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A message stored by an earlier version (its content in {@code ENGINE_ENVELOPE.CONTENT}) keeps its
 * bytes when this version moves them to {@code ENGINE_CONTENT} ({@code ContentMigration}, which the
 * engine runs at start-up), on the store of the run: H2, and PostgreSQL in the suite's second run.
 * Runs inside the server: it gives the running store the earlier version's column back, writes a
 * message as that version wrote it, and runs the move.
 */
@ExtendWith(ArquillianExtension.class)
class ContentMigrationIT {

  @Deployment
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "content-migration-probe.war").addClasses(ContentMigrationIT.class, ContentMigration.class);
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Test
  void aMessageOfAnEarlierVersionKeepsItsBytesInTheContentTable() throws SQLException {
    String id = UUID.randomUUID().toString();
    // not UTF-8 (an ISO-8859-1 e acute), a CR, a NUL: stored and moved as bytes
    byte[] content = "MSH|^~\\&|OLD|IT|ENGINE|HOSP|20261129120000||ADT^A08^ADT_A01|CM1|P|2.5|||||||8859/1\rPID|1||9^^^H^MR||Caf\u00e9^Ann\r\u0000"
        .getBytes(StandardCharsets.ISO_8859_1);
    try (Connection c = store.getConnection()) {
      boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
      try (Statement s = c.createStatement()) {
        s.execute("alter table ENGINE_ENVELOPE add column CONTENT " + (postgres ? "bytea" : "varbinary"));
      }
      try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_ENVELOPE (ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, CONTENT_TYPE, CHARSET, "
          + "CONTROL_ID, MESSAGE_TYPE, STATUS, CONTENT, ROW_VERSION) values (?, ?, ?, ?, 'mllp:default', 'HL7V2_ER7', 'ISO-8859-1', 'CM1', 'ADT^A08', 'ROUTED', ?, 1)")) {
        Timestamp now = Timestamp.from(Instant.now());
        insert.setString(1, id);
        insert.setTimestamp(2, now);
        insert.setTimestamp(3, now);
        insert.setTimestamp(4, now);
        insert.setBytes(5, content);
        insert.executeUpdate();
      }
      assertTrue(ContentMigration.hasEnvelopeContent(c));

      // the messages this version stored have no value in the column: only the earlier version's message moves
      assertEquals(1, ContentMigration.run(c));

      assertFalse(ContentMigration.hasEnvelopeContent(c), "the envelope's content column is dropped");
      try (PreparedStatement q = c.prepareStatement("select CONTENT from ENGINE_CONTENT where MESSAGE_ID = ?")) {
        q.setString(1, id);
        try (ResultSet r = q.executeQuery()) {
          assertTrue(r.next(), "the content has its row");
          assertArrayEquals(content, r.getBytes(1));
        }
      }
      assertEquals(-1, ContentMigration.run(c), "a second run finds nothing to do");
    }
  }

  @Test
  void theContentRowHasNoForeignKeyToCheckOnEveryInsert() throws SQLException {
    try (Connection c = store.getConnection();
        PreparedStatement q = c.prepareStatement("select count(*) from information_schema.table_constraints where upper(table_name) = 'ENGINE_CONTENT'"
            + " and constraint_type = 'FOREIGN KEY'");
        ResultSet r = q.executeQuery()) {
      assertTrue(r.next());
      assertEquals(0, r.getLong(1));
    }
  }
}
