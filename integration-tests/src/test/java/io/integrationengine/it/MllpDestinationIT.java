package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.json;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route whose destination is an MLLP receiver: HAPI's server, started here, plays the lab system.
 * The engine sends through the adapter's pooled outbound connection factory and judges the ACK.
 */
class MllpDestinationIT {

  private static final String DESTINATION = "lab-mllp-it";
  private static final String ROUTE = "orders-to-lab-it";
  private static EngineUnderTest engine;
  private static int receiverPort;
  private static HapiContext hapi;
  private static final Map<String, String> received = new ConcurrentHashMap<>();
  private HL7Service receiver;

  @BeforeAll
  static void routeOrdersToTheLab() throws IOException {
    engine = EngineUnderTest.get();
    try (ServerSocket probe = new ServerSocket(0)) {
      receiverPort = probe.getLocalPort();
    }
    hapi = new DefaultHapiContext();
    hapi.setValidationContext(ValidationContextFactory.noValidation());
    engine.defineTogether(() -> {
      engine.addDefinition("destinations", DESTINATION,
          "type=mllp:host=127.0.0.1:port=" + receiverPort + ":initialBackoffMillis=200:maxBackoffMillis=1000:maxAttempts=1000:onError=deadLetter");
      engine.addDefinition("routes", ROUTE, "messageTypes=ORM^O01:destinations=" + DESTINATION);
    });
  }

  @AfterAll
  static void removeRoute() throws IOException {
    engine.removeDefinition("routes", ROUTE);
    engine.removeDefinition("destinations", DESTINATION);
    hapi.close();
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.stopAndWait();
    }
  }

  @Test
  void theLabReceivesTheOrderAndItsAckIsChecked() throws Exception {
    startReceiver();
    String order = order();

    assertThat(send(order)).contains("MSA|AA|" + controlId(order));

    await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey(controlId(order)));
    // HAPI hands its application a parsed message: compare with the order as HAPI encodes it
    assertThat(received.get(controlId(order))).isEqualTo(hapi.getPipeParser().encode(hapi.getPipeParser().parse(order)));
    String messageId = onlyMessageWithControlId(controlId(order)).getString("id");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("destination")).isEqualTo(DESTINATION);
          assertThat(d.getString("status")).isEqualTo("DELIVERED");
          assertThat(d.getString("target")).isEqualTo("mllp://127.0.0.1:" + receiverPort + " AA");
        }));
  }

  @Test
  void whileTheLabIsDownTheOrderIsRetriedThenDelivered() throws Exception {
    String order = order();
    assertThat(send(order)).contains("MSA|AA|" + controlId(order));
    String messageId = onlyMessageWithControlId(controlId(order)).getString("id");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("status")).isEqualTo("RETRYING");
          assertThat(d.getInt("attempts")).isGreaterThanOrEqualTo(2);
          assertThat(d.getString("lastError")).contains("127.0.0.1:" + receiverPort);
        }));

    startReceiver();

    await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey(controlId(order)));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> assertThat(d.getString("status")).isEqualTo("DELIVERED")));
  }

  @Test
  void anOrderTheLabAnswersWithAeIsDeadLetteredWithTheLabsReason() throws Exception {
    startReceiver();
    String order = order().replace("PID|1|", "PID|1|REJECTME");

    assertThat(send(order)).contains("MSA|AA|" + controlId(order));

    String messageId = onlyMessageWithControlId(controlId(order)).getString("id");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("status")).isEqualTo("DEAD");
          assertThat(d.getString("lastError")).contains("answered AE").contains("lab refuses this order");
        }));
    JsonObject destination = json("/api/destinations").asJsonArray().getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("name").equals(DESTINATION)).findFirst().orElseThrow();
    assertThat(destination.getJsonNumber("dead").longValue()).isGreaterThanOrEqualTo(1);
  }

  private void startReceiver() throws InterruptedException {
    receiver = RecordingReceiver.start(hapi, receiverPort, false, received, "REJECTME", "lab refuses this order");
  }

  private static String order() {
    String controlId = "OR" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    return TestData.message("hl7v2/microsoft-fhir-converter/ORM-O01-01.hl7").replace("|MSG00018|", "|" + controlId + "|");
  }

  private static String controlId(String message) {
    return MllpListenerIT.controlId(message);
  }

  private static String send(String message) throws IOException {
    return RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
  }
}
