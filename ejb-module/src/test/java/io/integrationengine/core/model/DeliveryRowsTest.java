package io.integrationengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeliveryRows} on a real H2 database with {@code ENGINE_DELIVERY} as EclipseLink makes it:
 * the outcomes it writes are those {@link DeliveryRecord#record} would make, statuses only forward.
 */
class DeliveryRowsTest {

  @TempDir
  Path dir;

  private Connection c;

  @BeforeEach
  void store() throws SQLException {
    c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("store").toAbsolutePath(), "sa", "");
    try (Statement s = c.createStatement()) {
      s.execute("create table ENGINE_DELIVERY (ID varchar(300) primary key, MESSAGE_ID varchar(36) not null, ROUTE_NAME varchar(200),"
          + " DESTINATION varchar(200) not null, ORDER_KEY varchar(200), STATUS varchar(20) not null, ATTEMPTS integer not null,"
          + " LAST_ERROR varchar(2000), TARGET varchar(1000), SENT_CONTENT varbinary, SENT_CONTENT_TYPE varchar(20), SENT_CHARSET varchar(40),"
          + " UPDATED_AT timestamp not null)");
    }
    DeliveryRows.insert(c, List.of(new DeliveryRecord("m1", "adt", "files", "P1"), new DeliveryRecord("m2", "adt", "files"),
        new DeliveryRecord("m3", "adt", "files")));
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void insertsPlannedRecordsPending() throws SQLException {
    assertThat(row("m1/files")).containsExactly("m1", "adt", "files", "P1", "PENDING", 0, null, null, null);
    assertThat(row("m2/files")).containsExactly("m2", "adt", "files", null, "PENDING", 0, null, null, null);
  }

  @Test
  void writesForwardOutcomesOnlyAsTheRecordWould() throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    boolean[] first = DeliveryRows.record(c, List.of(
        new DeliveryRows.Outcome("m1/files", DeliveryStatus.RETRYING, 1, "connection refused", null, null),
        new DeliveryRows.Outcome("m2/files", DeliveryStatus.DELIVERED, 1, null, "/out/m2.hl7", null),
        new DeliveryRows.Outcome("m9/files", DeliveryStatus.DELIVERED, 1, null, "/out/m9.hl7", null)), now);
    assertThat(first).containsExactly(true, true, false);

    boolean[] second = DeliveryRows.record(c, List.of(
        // a retry may follow a retry; attempts never go down
        new DeliveryRows.Outcome("m1/files", DeliveryStatus.RETRYING, 0, "timed out", null, null),
        // a delivered delivery is never moved back
        new DeliveryRows.Outcome("m2/files", DeliveryStatus.RETRYING, 2, "late failure", null, null),
        // nothing moves to PENDING
        new DeliveryRows.Outcome("m3/files", DeliveryStatus.PENDING, 0, null, null, null)), now);
    assertThat(second).containsExactly(true, false, false);

    assertThat(row("m1/files")).containsExactly("m1", "adt", "files", "P1", "RETRYING", 1, "timed out", null, null);
    assertThat(row("m2/files")).containsExactly("m2", "adt", "files", null, "DELIVERED", 1, null, "/out/m2.hl7", null);
    assertThat(row("m3/files")).containsExactly("m3", "adt", "files", null, "PENDING", 0, null, null, null);
    assertThat(DeliveryRows.existing(c, List.of("m1/files", "m9/files"))).containsExactly("m1/files");
  }

  @Test
  void keepsTheTransformedContentSentAndCutsLongValues() throws SQLException {
    Content sent = new Content("{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8);
    boolean[] written = DeliveryRows.record(c, List.of(
        new DeliveryRows.Outcome("m1/files", DeliveryStatus.DELIVERED, 3, null, "x".repeat(1500), sent),
        new DeliveryRows.Outcome("m2/files", DeliveryStatus.DEAD, 10, "e".repeat(3000), null, null)), OffsetDateTime.now(ZoneOffset.UTC));
    assertThat(written).containsExactly(true, true);

    assertThat(row("m1/files")).containsExactly("m1", "adt", "files", "P1", "DELIVERED", 3, null, "x".repeat(DeliveryRecord.TARGET_LENGTH), "FHIR_JSON");
    assertThat(row("m2/files")).containsExactly("m2", "adt", "files", null, "DEAD", 10, "e".repeat(DeliveryRecord.ERROR_LENGTH), null, null);
    try (PreparedStatement q = c.prepareStatement("select SENT_CONTENT, SENT_CHARSET from ENGINE_DELIVERY where ID = 'm1/files'"); ResultSet r = q.executeQuery()) {
      r.next();
      assertThat(r.getBytes(1)).isEqualTo(sent.bytes());
      assertThat(r.getString(2)).isEqualTo("UTF-8");
    }
  }

  private Object[] row(String id) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("select MESSAGE_ID, ROUTE_NAME, DESTINATION, ORDER_KEY, STATUS, ATTEMPTS, LAST_ERROR, TARGET, SENT_CONTENT_TYPE"
        + " from ENGINE_DELIVERY where ID = ?")) {
      q.setString(1, id);
      try (ResultSet r = q.executeQuery()) {
        assertThat(r.next()).as(id).isTrue();
        return new Object[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getInt(6), r.getString(7), r.getString(8),
            r.getString(9)};
      }
    }
  }
}
