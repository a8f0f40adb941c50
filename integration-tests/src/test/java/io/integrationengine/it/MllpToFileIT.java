package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.app.Initiator;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path, black box: a real HL7 client (HAPI's, not ours) sends over MLLP to the engine in
 * a real Payara domain; the ACK comes back; the message is stored, routed through OpenMQ, queued in
 * Redis and written to a file by the demo route.
 */
class MllpToFileIT {

  private static final Duration DELIVERY = Duration.ofSeconds(60);

  private static EngineUnderTest engine;
  private static HapiContext hapi;

  @BeforeAll
  static void connect() {
    engine = EngineUnderTest.get();
    hapi = new DefaultHapiContext();
    hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  @AfterAll
  static void close() throws IOException {
    hapi.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7",
    "hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7",
    "hl7v2/microsoft-fhir-converter/ADT01-23.hl7",
    "hl7v2/microsoft-fhir-converter/ADT01-28.hl7",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt"
  })
  void anAdtA01IsAcknowledgedAndDeliveredToTheAdtFolder(String sample) throws Exception {
    Message message = withFreshControlId(hapi.getPipeParser().parse(TestData.message(sample)));
    String controlId = new Terser(message).get("/MSH-10");

    Terser ack = new Terser(send(message));

    assertThat(ack.get("/MSA-1")).isIn("AA", "CA");
    assertThat(ack.get("/MSA-2")).isEqualTo(controlId);
    Path delivered = await().atMost(DELIVERY).until(() -> deliveredFile("adt", controlId), Optional::isPresent).get();
    assertThat(Files.readString(delivered, StandardCharsets.UTF_8)).isEqualTo(hapi.getPipeParser().encode(message));
    JsonObject stored = onlyMessageWithControlId(controlId);
    assertThat(stored.getString("status")).isEqualTo("ROUTED");
    assertThat(stored.getString("messageType")).isEqualTo("ADT^A01");
    await().atMost(DELIVERY).untilAsserted(() ->
        assertThat(deliveries(stored.getString("id")).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("destination")).isEqualTo("adt-files");
          assertThat(d.getString("status")).isEqualTo("DELIVERED");
          assertThat(d.getString("target")).isEqualTo(delivered.toString());
        }));
  }

  @Test
  void aMessageNoRouteTakesIsAcknowledgedAndStoredAsUnrouted() throws Exception {
    Message message = withFreshControlId(hapi.getPipeParser().parse(TestData.message("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7")));
    String controlId = new Terser(message).get("/MSH-10");

    Terser ack = new Terser(send(message));

    assertThat(ack.get("/MSA-1")).isEqualTo("AA");
    assertThat(ack.get("/MSA-2")).isEqualTo(controlId);
    await().atMost(DELIVERY).untilAsserted(() -> {
      JsonObject stored = onlyMessageWithControlId(controlId);
      assertThat(stored.getString("status")).isEqualTo("UNROUTED");
      assertThat(stored.getString("statusDetail")).contains("ORU^R01");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
    // plain text, not HL7 at all
    "hl7v2/nodengine-hl7/invalid.hl7",
    // fuzzer-found inputs nHapi's parser must reject
    "hl7v2/nhapi-BadInputs/PipeParser/HL7Exception/id_000001_sig_02_src_000000_op_havoc_rep_16",
    "hl7v2/nhapi-BadInputs/LegacyPipeParser/EncodingNotSupportedException/aoor1"
  })
  void aMalformedMessageGetsANegativeAckSayingWhyAndIsStoredAsRejected(String sample) throws Exception {
    // a unique tail makes this send's stored copy findable; it does not make the input parseable
    String text = new String(TestData.bytes(sample), StandardCharsets.UTF_8) + "\rZIT|" + UUID.randomUUID();

    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), text.getBytes(StandardCharsets.UTF_8));

    assertThat(ack).containsPattern("(^|\r)MSA\\|A[ER]\\|");
    assertThat(ack).containsPattern("(^|\r)ERR\\|");
    await().atMost(DELIVERY).untilAsserted(() -> {
      JsonObject rejected = rejectedWithContent(text).orElseThrow(() -> new AssertionError("not stored as rejected"));
      assertThat(rejected.getJsonObject("message").getString("statusDetail")).isNotBlank();
    });
  }

  @Test
  void theListenerKeepsServingAfterMalformedInput() throws Exception {
    RawMllpClient.send(engine.host(), engine.mllpPort(), TestData.bytes("hl7v2/nhapi-BadInputs/PipeParser/HL7Exception/id_000029_sig_02_src_000167_001027_op_splice_rep_8"));
    Message message = withFreshControlId(hapi.getPipeParser().parse(TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7")));

    assertThat(new Terser(send(message)).get("/MSA-1")).isEqualTo("AA");
  }

  private static Message withFreshControlId(Message message) throws Exception {
    new Terser(message).set("/MSH-10", "IT" + UUID.randomUUID().toString().replace("-", "").substring(0, 18));
    return message;
  }

  private static Message send(Message message) throws Exception {
    Connection connection = hapi.newClient(engine.host(), engine.mllpPort(), false);
    try {
      Initiator initiator = connection.getInitiator();
      initiator.setTimeout(30, TimeUnit.SECONDS);
      return initiator.sendAndReceive(message);
    } finally {
      connection.close();
    }
  }

  static Optional<Path> deliveredFile(String folder, String controlId) {
    Path dir = EngineUnderTest.get().outDir().resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(controlId + "_") && f.getFileName().toString().endsWith(".hl7")).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The message stored with the control id; on H2 a message acknowledged from the intake journal is in the store a moment after its ACK. */
  static JsonObject onlyMessageWithControlId(String controlId) {
    JsonArray found = await().atMost(Duration.ofSeconds(30)).until(() -> json("/api/messages?controlId=" + controlId).asJsonArray(), a -> !a.isEmpty());
    assertThat(found).as("messages with control id %s", controlId).hasSize(1);
    return found.getJsonObject(0);
  }

  static JsonArray deliveries(String messageId) {
    return json("/api/messages/" + messageId).asJsonObject().getJsonArray("deliveries");
  }

  private static Optional<JsonObject> rejectedWithContent(String content) {
    for (JsonObject summary : json("/api/messages?status=REJECTED&limit=100").asJsonArray().getValuesAs(JsonObject.class)) {
      JsonObject detail = json("/api/messages/" + summary.getString("id")).asJsonObject();
      if (content.equals(detail.getString("content"))) {
        return Optional.of(detail);
      }
    }
    return Optional.empty();
  }

  static jakarta.json.JsonValue json(String path) {
    try (var reader = Json.createReader(new StringReader(EngineUnderTest.get().get(path)))) {
      return reader.readValue();
    }
  }
}
