package io.integrationengine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import jakarta.annotation.Resource;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A message that was stored but never handed to the routing stage (as if the server died right
 * after the commit) is found by the recovery sweep, routed and delivered; the sweep records when
 * it re-sent it, so it waits a full period before re-sending the same message again instead of
 * re-sending it on every sweep. Runs inside the server and writes the row with JDBC, as a crash
 * would leave it.
 */
@ExtendWith(ArquillianExtension.class)
class RoutingRecoveryIT {

  @Deployment
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "routing-recovery-probe.war").addClasses(RoutingRecoveryIT.class).addPackages(true, "org.awaitility", "org.hamcrest");
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Test
  void aStoredMessageNeverHandedOnIsRoutedAndDeliveredByTheSweep() throws Exception {
    String id = UUID.randomUUID().toString();
    String controlId = "RR" + id.replace("-", "").substring(0, 16);
    String message = "MSH|^~\\&|RECOVERY|IT|ENGINE|HOSP|20261127120000||ADT^A08^ADT_A01|" + controlId + "|P|2.5\rEVN|A08|20261127120000\rPID|1||77^^^H^MR||Lost^Lena\r";
    OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    try (Connection c = store.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_ENVELOPE (ID, RECEIVED_AT, UPDATED_AT, QUEUED_AT, CHANNEL, CONTENT_TYPE, CHARSET, "
          + "CONTROL_ID, MESSAGE_TYPE, STATUS, ROW_VERSION) values (?, ?, ?, ?, 'mllp:default', 'HL7V2_ER7', 'UTF-8', ?, 'ADT^A08', 'RECEIVED', 1)")) {
        insert.setString(1, id);
        insert.setObject(2, anHourAgo);
        insert.setObject(3, anHourAgo);
        insert.setObject(4, anHourAgo);
        insert.setString(5, controlId);
        insert.executeUpdate();
      }
      try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_CONTENT (MESSAGE_ID, CONTENT) values (?, ?)")) {
        insert.setString(1, id);
        insert.setBytes(2, message.getBytes(StandardCharsets.UTF_8));
        insert.executeUpdate();
      }
      for (String[] attribute : new String[][] {{"messageType", "ADT^A08"}, {"controlId", controlId}}) {
        try (PreparedStatement insert = c.prepareStatement("insert into ENGINE_ATTRIBUTE (MESSAGE_ID, NAME, ATTR_VALUE) values (?, ?, ?)")) {
          insert.setString(1, id);
          insert.setString(2, attribute[0]);
          insert.setString(3, attribute[1]);
          insert.executeUpdate();
        }
      }
    }

    await("routed by the recovery sweep").atMost(Duration.ofSeconds(60)).until(() -> "ROUTED".equals(column(id, "STATUS")));
    OffsetDateTime queuedAt = ((OffsetDateTime) columnObject(id, "QUEUED_AT"));
    assertTrue(queuedAt.isAfter(anHourAgo.plusMinutes(59)), "the sweep recorded when it handed the message on, was " + queuedAt);
    File outDir = new File(System.getProperty("engine.out.dir"), "adt");
    await("delivered").atMost(Duration.ofSeconds(60)).until(() -> {
      String[] files = outDir.list((dir, name) -> name.startsWith(controlId + "_"));
      return files != null && files.length == 1;
    });
    // the file is written before the delivery's status is committed: wait for the commit
    await("delivery recorded").atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(deliveryStatus(id)));
  }

  private String column(String id, String name) throws SQLException {
    Object value = columnObject(id, name);
    return value == null ? null : value.toString();
  }

  private Object columnObject(String id, String name) throws SQLException {
    try (Connection c = store.getConnection(); PreparedStatement q = c.prepareStatement("select " + name + " from ENGINE_ENVELOPE where ID = ?")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return name.equals("QUEUED_AT") ? rs.getObject(1, OffsetDateTime.class) : rs.getObject(1);
      }
    }
  }

  private String deliveryStatus(String id) throws SQLException {
    try (Connection c = store.getConnection(); PreparedStatement q = c.prepareStatement("select STATUS from ENGINE_DELIVERY where MESSAGE_ID = ?")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
