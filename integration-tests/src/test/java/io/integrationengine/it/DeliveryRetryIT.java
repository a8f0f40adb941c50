package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveredFile;
import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A destination that cannot be written loses nothing: the delivery is retried with backoff until
 * the folder can be written, then the message arrives; the message detail lists every failed
 * attempt with its error, and keeps the success when an operator replays the message. The route and destination are created the
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
    engine.defineTogether(() -> {
      engine.addDefinition("destinations", DESTINATION, "type=file:directory=" + DESTINATION + ":initialBackoffMillis=200:maxBackoffMillis=1000:maxAttempts=1000");
      engine.addDefinition("routes", ROUTE, "messageTypes=SIU^S12:destinations=" + DESTINATION);
    });
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
    JsonObject done = await().atMost(Duration.ofSeconds(30)).until(() -> delivery(messageId), d -> d != null && "DELIVERED".equals(d.getString("status")));

    // the message detail lists every failed attempt with its error, then the success
    List<JsonObject> history = done.getJsonArray("attemptHistory").getValuesAs(JsonObject.class);
    int failures = history.size() - 1;
    assertThat(failures).isGreaterThanOrEqualTo(2);
    for (int i = 0; i < failures; i++) {
      JsonObject failed = history.get(i);
      assertThat(failed.getInt("attempt")).isEqualTo(i + 1);
      assertThat(failed.getString("status")).isEqualTo("RETRYING");
      assertThat(failed.getString("error", "")).as("error of attempt %d", i + 1).isNotBlank();
    }
    JsonObject success = history.get(failures);
    assertThat(success.getString("status")).isEqualTo("DELIVERED");
    assertThat(success.getInt("attempt")).isEqualTo(failures + 1).isEqualTo(done.getInt("attempts"));
    assertThat(success.getString("target")).isEqualTo(done.getString("target"));

    // a replay counts from 1 again, and the history keeps the earlier success
    HttpResponse<String> replayed = engine.request("POST", "/api/messages/" + messageId + "/replay", engine.token("operator"), null, null);
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
    JsonObject again = await().atMost(Duration.ofSeconds(30))
        .until(() -> delivery(messageId), d -> "DELIVERED".equals(d.getString("status")) && !d.getString("updatedAt").equals(done.getString("updatedAt")));
    List<JsonObject> after = again.getJsonArray("attemptHistory").getValuesAs(JsonObject.class);
    assertThat(after).hasSize(history.size() + 1);
    assertThat(after.subList(0, failures)).isEqualTo(history.subList(0, failures));
    JsonObject kept = after.get(failures);
    assertThat(kept.getString("status")).isEqualTo("DELIVERED");
    assertThat(kept.getInt("attempt")).isEqualTo(failures + 1);
    assertThat(kept.getString("target")).isEqualTo(success.getString("target"));
    assertThat(OffsetDateTime.parse(kept.getString("at")).toInstant()).isEqualTo(OffsetDateTime.parse(success.getString("at")).toInstant());
    assertThat(after.get(failures + 1).getString("status")).isEqualTo("DELIVERED");
    assertThat(after.get(failures + 1).getInt("attempt")).isEqualTo(1);
  }

  private static JsonObject delivery(String messageId) {
    return deliveries(messageId).getValuesAs(JsonObject.class).stream().filter(d -> d.getString("destination").equals(DESTINATION)).findFirst().orElse(null);
  }
}
