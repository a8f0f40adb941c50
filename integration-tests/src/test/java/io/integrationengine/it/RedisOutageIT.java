package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveredFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Redis (delivery queues, duplicate records) goes away while a sender sends: intake still stores
 * and acknowledges the message (the duplicate check fails open); routing cannot queue it while
 * Redis is away and is retried (broker redelivery, then the recovery sweep, which the build's
 * engine runs for messages waiting longer than 5 s); once Redis is back the message is delivered.
 * Nothing is lost.
 */
class RedisOutageIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void aMessageAcceptedWhileRedisIsDownIsDeliveredWhenItIsBack() throws Exception {
    String message = MllpListenerIT.validMessage("REDIS");
    String controlId = MllpListenerIT.controlId(message);

    engine.engineCommand("redis-stop");
    String ack;
    try {
      ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    } finally {
      engine.engineCommand("redis-start");
    }

    assertThat(ack).contains("MSA|AA|" + controlId);
    Path delivered = await().atMost(Duration.ofSeconds(90)).until(() -> deliveredFile("adt", controlId), Optional::isPresent).get();
    assertThat(Files.readString(delivered, StandardCharsets.UTF_8)).isEqualTo(message);
  }
}
