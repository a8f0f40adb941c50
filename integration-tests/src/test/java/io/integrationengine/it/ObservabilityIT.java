package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveredFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an operator's Prometheus and load balancer see: the counters at {@code /metrics} move by
 * exactly what was sent, the queue depth gauges follow a destination that is down and then
 * recovers, and readiness at {@code /health/ready} turns 503 naming Redis while Redis is stopped
 * and 200 once it is back.
 */
class ObservabilityIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void afterNMessagesOverMllpTheCountersMovedByN() throws Exception {
    int n = 7;
    PrometheusScrape before = PrometheusScrape.of(engine);

    List<String> controlIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String message = MllpListenerIT.validMessage("OBS");
      controlIds.add(MllpListenerIT.controlId(message));
      assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|" + MllpListenerIT.controlId(message));
    }
    String duplicate = MllpListenerIT.validMessage("OBSDUP");
    RawMllpClient.send(engine.host(), engine.mllpPort(), duplicate.getBytes(StandardCharsets.UTF_8));
    RawMllpClient.send(engine.host(), engine.mllpPort(), duplicate.getBytes(StandardCharsets.UTF_8));
    RawMllpClient.send(engine.host(), engine.mllpPort(), "not HL7 at all".getBytes(StandardCharsets.UTF_8));
    for (String id : controlIds) {
      await().atMost(Duration.ofSeconds(60)).until(() -> deliveredFile("adt", id), Optional::isPresent);
    }

    // the ACKs are sent once intake counted; routing and delivery count once they have committed
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      PrometheusScrape after = PrometheusScrape.of(engine);
      assertThat(delta(before, after, "engine_messages_received_total", "channel", "mllp-default")).isEqualTo(n + 3);
      assertThat(delta(before, after, "engine_messages_duplicate_total", "channel", "mllp-default")).isEqualTo(1);
      assertThat(delta(before, after, "engine_messages_rejected_total", "channel", "mllp-default", "reason", "unreadable")).isEqualTo(1);
      assertThat(delta(before, after, "engine_ack_seconds_count")).isEqualTo(n + 3);
      assertThat(delta(before, after, "engine_messages_routed_total", "route", "adt")).isEqualTo(n + 1);
      assertThat(delta(before, after, "engine_deliveries_total", "destination", "adt-files", "outcome", "delivered")).isEqualTo(n + 1);
      assertThat(delta(before, after, "engine_delivery_seconds_count", "destination", "adt-files")).isEqualTo(n + 1);
      assertThat(delta(before, after, "engine_delivery_seconds_bucket", "destination", "adt-files", "le", "+Inf")).isEqualTo(n + 1);
    });
    // what Prometheus is given: counters with _total, Payara's mp_scope label, histogram series
    PrometheusScrape after = PrometheusScrape.of(engine);
    assertThat(after.text()).contains("# TYPE engine_messages_received_total counter");
    assertThat(after.series("engine_messages_received_total")).allSatisfy(s -> assertThat(s.labels()).containsEntry("mp_scope", "application"));
    assertThat(after.series("engine_ack_seconds_bucket")).extracting(s -> s.labels().get("le")).contains("0.001", "1.0", "+Inf");
    assertThat(after.value("engine_ack_seconds_sum")).isPositive();
    // acknowledged, not yet stored: a gauge while MLLP intake acknowledges from its journal (H2 only)
    if ("postgresql".equals(engine.state().get("ENGINE_DB"))) {
      assertThat(after.series("engine_intake_journal_waiting")).isEmpty();
    } else {
      assertThat(after.value("engine_intake_journal_waiting")).isBetween(0.0, 5000.0);
    }
  }

  @Test
  void queueDepthGaugesFollowADestinationThatIsDownThenRecovers() throws Exception {
    String destination = "depth-it";
    Path folder = engine.outDir().resolve(destination);
    Files.createDirectories(folder.getParent());
    deleteRecursively(folder);
    // a plain file where the folder should be: the destination cannot be written
    Files.writeString(folder, "not a folder");
    engine.defineTogether(() -> {
      engine.addDefinition("destinations", destination, "type=file:directory=" + destination + ":initialBackoffMillis=300:maxBackoffMillis=1000:maxAttempts=1000");
      engine.define("routes", destination, "condition", "MSH-3 = DEPTHIT", "destinations", destination);
    });
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !PrometheusScrape.of(engine).series("engine_queue_depth").stream()
          .filter(s -> destination.equals(s.labels().get("destination"))).toList().isEmpty());
      PrometheusScrape before = PrometheusScrape.of(engine);
      int n = 3;
      List<String> controlIds = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String message = MllpListenerIT.validMessage("DEPTH").replace("|ITSENDER|", "|DEPTHIT|");
        controlIds.add(MllpListenerIT.controlId(message));
        assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|");
      }

      // the three wait: the first for its retry, the others (same patient) held behind it
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        PrometheusScrape now = PrometheusScrape.of(engine);
        assertThat(depth(now, destination, "delayed")).isEqualTo(1);
        assertThat(depth(now, destination, "held") + depth(now, destination, "ready") + depth(now, destination, "inflight")).isEqualTo(n - 1);
        assertThat(depth(now, destination, "dead")).isZero();
        assertThat(delta(before, now, "engine_deliveries_total", "destination", destination, "outcome", "retried")).isGreaterThanOrEqualTo(2);
      });

      Files.delete(folder);

      for (String id : controlIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredFile(destination, id), Optional::isPresent);
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        PrometheusScrape now = PrometheusScrape.of(engine);
        for (String state : List.of("ready", "delayed", "inflight", "held", "dead")) {
          assertThat(depth(now, destination, state)).as(state).isZero();
        }
        assertThat(delta(before, now, "engine_deliveries_total", "destination", destination, "outcome", "delivered")).isEqualTo(n);
      });
    } finally {
      engine.removeDefinition("routes", destination);
      engine.removeDefinition("destinations", destination);
      deleteRecursively(folder);
    }
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
  void aTransformThatFailsIsCountedByNameAndItsDeliveryAsDead() throws Exception {
    String destination = "transform-error-it";
    engine.defineTogether(() -> {
      engine.addDefinition("destinations", destination, "type=file:directory=" + destination);
      // fromFhir on HL7v2 content always fails: the transform refuses content that is not FHIR
      engine.define("routes", destination, "condition", "MSH-3 = TRANSFORMIT", "destinations", destination, "transforms", "fromFhir(ADT^A08)");
    });
    try {
      PrometheusScrape before = PrometheusScrape.of(engine);
      String message = MllpListenerIT.validMessage("TRF").replace("|ITSENDER|", "|TRANSFORMIT|");
      assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        PrometheusScrape now = PrometheusScrape.of(engine);
        assertThat(delta(before, now, "engine_transform_errors_total", "transform", "fromFhir")).isEqualTo(1);
        assertThat(delta(before, now, "engine_deliveries_total", "destination", destination, "outcome", "dead")).isEqualTo(1);
        assertThat(depth(now, destination, "dead")).isEqualTo(1);
      });
    } finally {
      engine.removeDefinition("routes", destination);
      engine.removeDefinition("destinations", destination);
      deleteRecursively(engine.outDir().resolve(destination));
    }
  }

  @Test
  void readinessIs503NamingRedisWhileRedisIsStoppedAnd200After() throws Exception {
    // ready before Redis is stopped (a check may be down for a moment after an earlier test: seen once in CI)
    await().atMost(Duration.ofSeconds(30)).until(() -> status("/health/ready") == 200);
    engine.engineCommand("redis-stop");
    try {
      HttpResponse<String> down = get("/health/ready");
      assertThat(down.statusCode()).isEqualTo(503);
      JsonObject body = Json.createReader(new StringReader(down.body())).readObject();
      assertThat(body.getString("status")).isEqualTo("DOWN");
      assertThat(body.getJsonArray("checks").getValuesAs(JsonObject.class)).anySatisfy(check -> {
        assertThat(check.getString("name")).isEqualTo("redis");
        assertThat(check.getString("status")).isEqualTo("DOWN");
        assertThat(check.getJsonObject("data").getString("reason")).contains("Redis at redis://127.0.0.1:");
      }).allSatisfy(check -> {
        if (!check.getString("name").equals("redis")) {
          assertThat(check.getString("status")).as(check.getString("name")).isEqualTo("UP");
        }
      });
      assertThat(status("/health/live")).as("Redis away does not make the engine dead").isEqualTo(200);
    } finally {
      engine.engineCommand("redis-start");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> status("/health/ready") == 200);
    JsonObject ready = Json.createReader(new StringReader(get("/health/ready").body())).readObject();
    assertThat(ready.getJsonArray("checks").getValuesAs(JsonObject.class)).extracting(c -> c.getString("name"))
        .contains("database", "broker", "redis", "mllp-default", "mllp-tls", "fhir-repository", "identity-provider", "intake-journal");
  }

  private static double depth(PrometheusScrape scrape, String destination, String state) {
    return scrape.value("engine_queue_depth", "destination", destination, "state", state);
  }

  private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  private int status(String path) throws IOException, InterruptedException {
    return get(path).statusCode();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
