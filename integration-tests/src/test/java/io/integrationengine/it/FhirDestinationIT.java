package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code fhir} destination against a FHIR server the test starts (a JDK HTTP server answering
 * as scripted): 500, then 429 with {@code Retry-After}, then 201 makes one delivery, sent three
 * times and recorded once with the ids the server gave; a 422 with an OperationOutcome is
 * dead-lettered at once with its diagnostics. The ADT goes through {@code toFhir()}, so the server
 * receives the transaction Bundle posted to its base.
 */
class FhirDestinationIT {

  private static final String SENDER = "FHIRDEST";
  private static final String REFUSING_SENDER = "FHIRDEST422";
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final int RETRY_AFTER_SECONDS = 2;

  /** A request the test server received, and when. */
  record Received(String method, String path, String contentType, byte[] body, Instant at) {}

  /** A scripted answer. */
  record Answer(int status, String body, Map<String, String> headers) {}

  private static EngineUnderTest engine;
  private static HttpServer server;
  private static final List<Received> flaky = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final List<Received> refusing = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final ConcurrentLinkedDeque<Answer> flakyAnswers = new ConcurrentLinkedDeque<>();

  @BeforeAll
  static void startServerAndRoutes() throws IOException {
    engine = EngineUnderTest.get();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    flakyAnswers.add(new Answer(500, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"fatal\",\"code\":\"exception\",\"diagnostics\":\"database down\"}]}",
        Map.of("Content-Type", "application/fhir+json")));
    flakyAnswers.add(new Answer(429, "", Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))));
    flakyAnswers.add(new Answer(201, """
        {"resourceType":"Bundle","type":"transaction-response","entry":[
          {"response":{"status":"201 Created","location":"Patient/p1/_history/1"}},
          {"response":{"status":"201 Created","location":"Encounter/e1/_history/1"}}]}""", Map.of("Content-Type", "application/fhir+json")));
    server.createContext("/flaky", exchange -> {
      flaky.add(received(exchange));
      Answer answer = flakyAnswers.isEmpty() ? new Answer(409, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"duplicate\",\"diagnostics\":\"sent twice\"}]}", Map.of()) : flakyAnswers.poll();
      respond(exchange, answer);
    });
    server.createContext("/refusing", exchange -> {
      refusing.add(received(exchange));
      respond(exchange, new Answer(422, """
          {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing",
           "diagnostics":"Patient.identifier: an MRN is required by this server","expression":["Bundle.entry[0].resource.identifier"]}]}""",
          Map.of("Content-Type", "application/fhir+json")));
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    engine.defineTogether(() -> {
      engine.define("destinations", "fdest-flaky", "type", "fhir", "baseUrl", base + "/flaky", "initialBackoffMillis", "300", "maxBackoffMillis", "1000",
          "maxAttempts", "10", "readTimeoutMillis", "10000");
      engine.define("destinations", "fdest-refusing", "type", "fhir", "baseUrl", base + "/refusing", "initialBackoffMillis", "300", "maxAttempts", "10");
      engine.define("routes", "fdest-flaky", "condition", "@sendingApplication = " + SENDER, "destinations", "fdest-flaky", "transforms_fdest-flaky", "toFhir()");
      engine.define("routes", "fdest-refusing", "condition", "@sendingApplication = " + REFUSING_SENDER, "destinations", "fdest-refusing",
          "transforms_fdest-refusing", "toFhir()");
    });
  }

  @AfterAll
  static void stop() {
    engine.removeDefinition("routes", "fdest-flaky");
    engine.removeDefinition("routes", "fdest-refusing");
    server.stop(0);
  }

  @Test
  void aServerErrorThenTooManyRequestsThenCreatedIsDeliveredOnceHonouringRetryAfter() throws Exception {
    String controlId = send(SENDER);

    String messageId = onlyMessageWithControlId(controlId).getString("id");
    await().atMost(DELIVERY).until(() -> delivery(messageId, "fdest-flaky").getString("status").equals("DELIVERED"));
    JsonObject delivered = delivery(messageId, "fdest-flaky");
    assertThat(delivered.getInt("attempts")).isEqualTo(3);
    assertThat(delivered.getString("target")).startsWith("POST http://127.0.0.1:").endsWith("/flaky/ 201: Patient/p1/_history/1, Encounter/e1/_history/1");

    assertThat(flaky).hasSize(3).allSatisfy(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/flaky/");
      assertThat(r.contentType()).startsWith("application/fhir+json");
      Bundle bundle = FhirRepositoryIT.R4.newJsonParser().parseResource(Bundle.class, new String(r.body(), StandardCharsets.UTF_8));
      assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
      assertThat(bundle.getIdentifier().getValue()).isEqualTo(controlId);
    });
    // the same bytes each time
    assertThat(flaky.get(1).body()).isEqualTo(flaky.get(0).body());
    assertThat(flaky.get(2).body()).isEqualTo(flaky.get(0).body());
    assertThat(Duration.between(flaky.get(1).at(), flaky.get(2).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(RETRY_AFTER_SECONDS));
    // delivered once: nothing more is sent
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> flaky.size() == 3);
  }

  @Test
  void aRefusalWithAnOperationOutcomeIsDeadLetteredWithItsText() throws Exception {
    String controlId = send(REFUSING_SENDER);

    String messageId = onlyMessageWithControlId(controlId).getString("id");
    await().atMost(DELIVERY).until(() -> delivery(messageId, "fdest-refusing").getString("status").equals("DEAD"));
    JsonObject dead = delivery(messageId, "fdest-refusing");
    assertThat(dead.getInt("attempts")).isEqualTo(1);
    assertThat(dead.getString("lastError")).contains("answered HTTP 422: error processing: Patient.identifier: an MRN is required by this server")
        .contains("(at Bundle.entry[0].resource.identifier)");
    assertThat(refusing).hasSize(1);
  }

  private static JsonObject delivery(String messageId, String destination) {
    return deliveries(messageId).getValuesAs(JsonObject.class).stream().filter(d -> d.getString("destination").equals(destination)).findFirst()
        .orElse(jakarta.json.Json.createObjectBuilder().add("status", "none").build());
  }

  private static String send(String sender) throws IOException {
    String controlId = "FD" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String text = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    String[] msh = text.substring(0, text.indexOf('\r')).split("\\|", -1);
    msh[2] = sender;
    msh[9] = controlId;
    String message = String.join("|", msh) + text.substring(text.indexOf('\r'));
    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);
    return controlId;
  }

  private static Received received(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    return new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
        exchange.getRequestBody().readAllBytes(), Instant.now());
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }
}
