package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveredFile;
import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A destination that cannot be written loses nothing: the delivery is retried with backoff until
 * the folder can be written, then the message arrives. The route and destination are created the
 * way an operator would, with asadmin while the engine runs, and the engine picks them up without a
 * redeploy.
 */
class DeliveryRetryIT {

  private static final String DESTINATION = "retry-it";
  private static final String ROUTE = "retry-it";
  private static EngineUnderTest engine;

  @BeforeAll
  static void addRouteAsAnOperatorWould() {
    engine = EngineUnderTest.get();
    engine.addDefinition("destinations", DESTINATION, "type=file:directory=" + DESTINATION + ":initialBackoffMillis=200:maxBackoffMillis=1000:maxAttempts=1000");
    engine.addDefinition("routes", ROUTE, "messageTypes=SIU^S12:destinations=" + DESTINATION);
  }

  @AfterAll
  static void removeRoute() throws IOException {
    engine.removeDefinition("routes", ROUTE);
    engine.removeDefinition("destinations", DESTINATION);
    deleteRecursively(engine.outDir().resolve(DESTINATION));
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void anUnwritableFolderIsRetriedUntilItCanBeWritten() throws Exception {
    // a plain file where the folder should be: the connector cannot create the folder (even as root)
    Path folder = engine.outDir().resolve(DESTINATION);
    Files.createDirectories(folder.getParent());
    deleteRecursively(folder);
    Files.writeString(folder, "not a folder");
    String controlId = "RT" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    String message = TestData.message("hl7v2/microsoft-fhir-converter/SIU-S12-01.hl7").replace("|MSG00012|", "|" + controlId + "|");

    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);

    String messageId = onlyMessageWithControlId(controlId).getString("id");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("status")).isEqualTo("RETRYING");
          assertThat(d.getInt("attempts")).isGreaterThanOrEqualTo(2);
          assertThat(d.getString("lastError")).isNotBlank();
        }));

    Files.delete(folder);

    Path delivered = await().atMost(Duration.ofSeconds(60)).until(() -> deliveredFile(DESTINATION, controlId), Optional::isPresent).get();
    assertThat(Files.readString(delivered, StandardCharsets.UTF_8)).isEqualTo(message);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> assertThat(d.getString("status")).isEqualTo("DELIVERED")));
  }
}
