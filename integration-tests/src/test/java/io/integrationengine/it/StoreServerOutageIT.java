package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveredFile;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL server stops while a sender sends (`./engine db-stop`): the sender gets a
 * negative ACK saying to resend, not silence and never AA; once the server is back
 * (`./engine db-start`), a resend is acknowledged, stored once and delivered. Runs against the
 * engine whose store is PostgreSQL (failsafe execution {@code postgresql}); on H2, which runs inside
 * the server, StoreOutageIT plays the outage.
 */
class StoreServerOutageIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void whileTheStoreServerIsDownASenderIsToldToResendAndItsResendIsStoredOnceItIsBack() throws Exception {
    String message = MllpListenerIT.validMessage("PGDOWN");
    String controlId = MllpListenerIT.controlId(message);

    engine.engineCommand("db-stop");
    String duringOutage;
    try {
      duringOutage = send(message);
    } finally {
      engine.engineCommand("db-start");
    }
    assertThat(duringOutage).contains("MSA|AR|" + controlId).contains("resend later");

    // the sender resends, as senders do after AR, until the engine has its store again
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> send(message).contains("MSA|AA|" + controlId));

    assertThat(onlyMessageWithControlId(controlId).getString("status")).isIn("RECEIVED", "ROUTED");
    Path delivered = await().atMost(Duration.ofSeconds(90)).until(() -> deliveredFile("adt", controlId), Optional::isPresent).get();
    assertThat(Files.readString(delivered, StandardCharsets.UTF_8)).isEqualTo(message);
  }

  private String send(String message) throws IOException {
    return RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
  }
}
