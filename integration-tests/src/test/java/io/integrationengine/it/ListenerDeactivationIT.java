package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Disabling the application deactivates its MLLP listeners: they stop accepting and close the
 * connections they hold; enabling it opens them again.
 */
class ListenerDeactivationIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void disablingTheApplicationClosesTheListenerAndEnablingReopensIt() throws Exception {
    try (Socket idle = new Socket(engine.host(), engine.mllpPort())) {
      idle.setSoTimeout(60_000);
      try {
        engine.asadmin("disable", "integration-engine");

        assertThat(idle.getInputStream().read()).as("the engine closed the open connection").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(30)).until(this::refused);
      } finally {
        engine.asadmin("enable", "integration-engine");
      }
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      String message = MllpListenerIT.validMessage("BACK");
      assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8)))
          .contains("MSA|AA|" + MllpListenerIT.controlId(message));
    });
  }

  private boolean refused() {
    try (Socket probe = new Socket(engine.host(), engine.mllpPort())) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
