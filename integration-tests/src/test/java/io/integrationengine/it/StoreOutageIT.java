package io.integrationengine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import jakarta.annotation.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message store stops answering while a sender sends (inside the server, this test puts the
 * H2 store in exclusive mode, which pauses every other connection). On H2, MLLP intake
 * acknowledges a message once it is in the intake journal ({@code JournaledIntake}), so the
 * sender gets AA while the store is paused; the message is stored when the store is back, and the
 * sender's resend is acknowledged without being stored twice. (A store that stays away fills the
 * journal's backlog, and then senders get negative ACKs: {@code JournaledIntakeTest}.)
 */
@ExtendWith(ArquillianExtension.class)
class StoreOutageIT {

  @Deployment
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "store-outage-probe.war").addClasses(StoreOutageIT.class, RawMllpClient.class).addPackages(true, "org.awaitility", "org.hamcrest");
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Test
  void aMessageAcknowledgedWhileTheStoreIsPausedIsStoredOnceItIsBackAndItsResendIsNotStoredTwice() throws Exception {
    String controlId = "OUT" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    String message = "MSH|^~\\&|OUTAGE|IT|ENGINE|HOSP|20261124120000||ADT^A08^ADT_A01|" + controlId + "|P|2.5\r"
        + "EVN|A08|20261124120000\rPID|1||999^^^H^MR||Outage^Olga||19700101|F\r";
    int port = Integer.getInteger("engine.mllp.port");

    String duringOutage;
    try (Connection exclusive = store.getConnection(); Statement statement = exclusive.createStatement()) {
      statement.execute("SET EXCLUSIVE 1");
      try {
        duringOutage = send(port, message);
        assertEquals(0, storedBy(statement, controlId), "not in the store while it is paused");
      } finally {
        statement.execute("SET EXCLUSIVE 0");
      }
    }
    assertTrue(duringOutage.contains("MSA|AA|" + controlId), "acknowledged from the intake journal while the store is paused: " + duringOutage);

    await("the message in progress is stored once the store is back").atMost(Duration.ofSeconds(60)).until(() -> stored(controlId) == 1);

    String resend = send(port, message);
    assertTrue(resend.contains("MSA|AA|" + controlId), "the resend is acknowledged: " + resend);
    assertEquals(1, stored(controlId), "and not stored twice");
  }

  /** On the connection that holds the store exclusively, the only one that can ask it. */
  private static int storedBy(Statement exclusive, String controlId) throws SQLException {
    try (ResultSet rs = exclusive.executeQuery("select count(*) from ENGINE_ENVELOPE where CONTROL_ID = '" + controlId + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private int stored(String controlId) throws SQLException {
    try (Connection c = store.getConnection(); PreparedStatement q = c.prepareStatement("select count(*) from ENGINE_ENVELOPE where CONTROL_ID = ?")) {
      q.setString(1, controlId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static String send(int port, String message) throws IOException {
    return RawMllpClient.send("127.0.0.1", port, message.getBytes(StandardCharsets.UTF_8));
  }
}
