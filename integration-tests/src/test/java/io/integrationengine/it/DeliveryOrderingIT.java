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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Order per patient at a destination: a message the receiver keeps refusing holds back the later
 * messages of its patient until it is dead-lettered, while other patients' messages go on. The
 * receiver (HAPI's MLLP server) answers AE to messages carrying a marker, and the destination
 * retries AE a few times.
 */
class DeliveryOrderingIT {

  private static final String DESTINATION = "ordered-lab-it";
  private static final String ROUTE = "orders-in-order-it";
  private static final String FACILITY = "ORDERINGIT";
  private static EngineUnderTest engine;
  private static HapiContext hapi;
  private static HL7Service receiver;
  /** Messages the receiver took, by control id. */
  private static Map<String, String> receivedView;
  /** Control ids in the order the receiver took them. */
  private static final List<String> arrivals = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void routeOrdersToALabThatRefusesOne() throws Exception {
    engine = EngineUnderTest.get();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    hapi = new DefaultHapiContext();
    hapi.setValidationContext(ValidationContextFactory.noValidation());
    Map<String, String> recording = new ConcurrentHashMap<>() {
      @Override
      public String put(String key, String value) {
        arrivals.add(key);
        return super.put(key, value);
      }
    };
    receiver = RecordingReceiver.start(hapi, port, false, recording, "POISON", "unknown order code");
    receivedView = recording;
    engine.defineTogether(() -> {
      engine.define("destinations", DESTINATION, "type", "mllp", "host", "127.0.0.1", "port", String.valueOf(port), "onError", "retry", "maxAttempts", "3",
          "initialBackoffMillis", "1500", "maxBackoffMillis", "1500", "concurrency", "4");
      engine.define("routes", ROUTE, "messageTypes", "ORM^O01", "condition", "MSH-4.1 = " + FACILITY, "destinations", DESTINATION);
    });
  }

  @AfterAll
  static void removeRoute() throws IOException {
    engine.removeDefinition("routes", ROUTE);
    engine.removeDefinition("destinations", DESTINATION);
    receiver.stopAndWait();
    hapi.close();
  }

  @Test
  void aRefusedMessageHoldsBackOnlyItsOwnPatientsLaterMessages() throws Exception {
    String patientA = "PA" + UUID.randomUUID().toString().substring(0, 8);
    String patientB = "PB" + UUID.randomUUID().toString().substring(0, 8);
    String a1 = order(patientA, "POISON");
    String b1 = order(patientB, "");
    String a2 = order(patientA, "");
    String b2 = order(patientB, "");
    for (String message : List.of(a1, b1, a2, b2)) {
      assertThat(send(message)).contains("MSA|AA|" + controlId(message));
    }

    // the other patient goes on at once
    await().atMost(Duration.ofSeconds(30)).until(() -> receivedView.containsKey(controlId(b1)) && receivedView.containsKey(controlId(b2)));
    assertThat(arrivals.indexOf(controlId(b1))).isLessThan(arrivals.indexOf(controlId(b2)));
    String a1Id = onlyMessageWithControlId(controlId(a1)).getString("id");
    assertThat(status(a1Id)).as("A's first message waits for its retry").isEqualTo("RETRYING");
    assertThat(receivedView).as("A's second message waits behind it").doesNotContainKey(controlId(a2));
    assertThat(destination().getJsonNumber("held").longValue()).isGreaterThanOrEqualTo(1);

    // A's first is dead-lettered after its attempts; then A's second goes
    await().atMost(Duration.ofSeconds(60)).until(() -> "DEAD".equals(status(a1Id)));
    await().atMost(Duration.ofSeconds(30)).until(() -> receivedView.containsKey(controlId(a2)));
    String a2Id = onlyMessageWithControlId(controlId(a2)).getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(status(a2Id)));
    assertThat(destination().getJsonNumber("held").longValue()).isZero();
  }

  private static String status(String messageId) {
    return deliveries(messageId).getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("destination").equals(DESTINATION)).map(d -> d.getString("status")).findFirst().orElse("none");
  }

  private static JsonObject destination() {
    return json("/api/destinations").asJsonArray().getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("name").equals(DESTINATION)).findFirst().orElseThrow();
  }

  /** An order for a patient (PID-3), from the facility this test's route takes; {@code marker} in PID-2 makes the lab refuse it. */
  private static String order(String patient, String marker) {
    String controlId = "OI" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    StringBuilder out = new StringBuilder();
    for (String segment : TestData.message("hl7v2/microsoft-fhir-converter/ORM-O01-01.hl7").split("\r")) {
      String[] fields = segment.split("\\|", -1);
      if (fields[0].equals("MSH")) {
        fields[3] = FACILITY;
        fields[9] = controlId;
      } else if (fields[0].equals("PID")) {
        fields[2] = marker;
        fields[3] = patient + "^^^HOSP^MR";
      }
      out.append(String.join("|", fields)).append('\r');
    }
    return out.toString();
  }

  private static String controlId(String message) {
    return MllpListenerIT.controlId(message);
  }

  private static String send(String message) throws IOException {
    return RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
  }
}
