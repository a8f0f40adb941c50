package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes as an analyst writes them in the admin console: conditions on content, a lookup-table
 * enrichment, an ER7 to XML transform, a destination taken from the message, and an invalid route
 * that is reported and skipped while the others keep working. Every route here takes only
 * messages whose MSH-3 is this test's, so the other tests' messages pass by.
 */
class ContentRoutingIT {

  private static final String SENDER = "ROUTEIT";
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static EngineUnderTest engine;

  @BeforeAll
  static void defineRoutes() {
    engine = EngineUnderTest.get();
    engine.defineTogether(() -> {
      for (String folder : new String[] {"rit-women", "rit-hgb", "rit-enriched", "rit-xml", "rit-dynamic"}) {
        engine.define("destinations", folder, "type", "file", "directory", folder);
      }
      engine.define("tables", "rit-facilities", "GHHSFacility", "Good Health Hospital", "RDX", "Redox Demo");
      engine.define("tables", "rit-receivers", "EHRApp", "rit-dynamic");
      String mine = "@sendingApplication = " + SENDER;
      engine.define("routes", "rit-women", "condition", mine + " and PID-8 = F", "destinations", "rit-women");
      engine.define("routes", "rit-hemoglobin", "condition", mine + " and OBX-3.1 = 20509-6", "destinations", "rit-hgb");
      engine.define("routes", "rit-enrich", "condition", mine + " and @messageType = ADT^A01", "destinations", "rit-enriched, rit-xml",
          "transforms_rit-enriched", "map(MSH-4.1, rit-facilities); set(MSH-6.1, ENRICHED)", "transforms_rit-xml", "toXml()");
      engine.define("routes", "rit-dynamic", "condition", mine, "destinationFrom", "MSH-5.1", "destinationTable", "rit-receivers");
      engine.define("routes", "rit-broken", "condition", mine + " and PID-8 == F", "destinations", "rit-women");
    });
  }

  @AfterAll
  static void removeRoutes() {
    for (String route : new String[] {"rit-women", "rit-hemoglobin", "rit-enrich", "rit-dynamic", "rit-broken"}) {
      engine.removeDefinition("routes", route);
    }
  }

  private static String send(String sample, String controlId) throws IOException {
    String text = TestData.message(sample);
    String[] msh = text.substring(0, text.indexOf('\r')).split("\\|", -1);
    msh[2] = SENDER;
    msh[9] = controlId;
    String message = String.join("|", msh) + text.substring(text.indexOf('\r'));
    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);
    return message;
  }

  private static String controlId(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static Optional<Path> file(String folder, String controlId) {
    Path dir = engine.outDir().resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(controlId + "_")).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject delivery(String controlId, String destination) {
    JsonObject summary = MllpToFileIT.onlyMessageWithControlId(controlId);
    return MllpToFileIT.deliveries(summary.getString("id")).getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("destination").equals(destination)).findFirst().orElseThrow(() -> new AssertionError("no delivery to " + destination));
  }

  @Test
  void aRouteOnPatientSexTakesWomenOnly() throws Exception {
    String woman = controlId("RW");
    String man = controlId("RM");
    send("hl7v2/microsoft-fhir-converter/ADT04-251.hl7", woman);
    send("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7", man);

    await().atMost(DELIVERY).until(() -> file("rit-women", woman), Optional::isPresent);
    // the man's message is delivered elsewhere (the enrichment route): by then the women's route has decided
    await().atMost(DELIVERY).until(() -> delivery(man, "rit-enriched").getString("status").equals("DELIVERED"));
    assertThat(file("rit-women", man)).isEmpty();
    assertThat(MllpToFileIT.onlyMessageWithControlId(woman).getString("statusDetail")).contains("rit-women -> rit-women");
  }

  @Test
  void aRouteOnAnObservationCodeTakesTheLabReportWithIt() throws Exception {
    String withHemoglobin = controlId("RH");
    send("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7", withHemoglobin);

    Path delivered = await().atMost(DELIVERY).until(() -> file("rit-hgb", withHemoglobin), Optional::isPresent).get();
    assertThat(Files.readString(delivered)).contains("20509-6^HEMOGLOBIN");
  }

  @Test
  void aLookupTableEnrichesTheCopyForOneDestinationAndTheSentBytesAreKept() throws Exception {
    String controlId = controlId("RE");
    String sent = send("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7", controlId);

    Path delivered = await().atMost(DELIVERY).until(() -> file("rit-enriched", controlId), Optional::isPresent).get();
    String header = Files.readString(delivered).split("\r")[0];
    assertThat(header).contains("|Good Health Hospital^2.16.840.1.122848.1.30^ISO|").contains("|ENRICHED^2.16.840.1.1122848.1.32^ISO|");
    JsonObject record = delivery(controlId, "rit-enriched");
    assertThat(record.getString("sentContent")).isEqualTo(Files.readString(delivered));
    // the stored message is what the sender sent
    JsonObject detail = json("/api/messages/" + MllpToFileIT.onlyMessageWithControlId(controlId).getString("id")).asJsonObject();
    assertThat(detail.getString("content")).isEqualTo(sent);
  }

  @Test
  void anEr7ToXmlTransformDeliversHl7v2Xml() throws Exception {
    String controlId = controlId("RX");
    send("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7", controlId);

    Path delivered = await().atMost(DELIVERY).until(() -> file("rit-xml", controlId), Optional::isPresent).get();
    assertThat(delivered.getFileName().toString()).endsWith(".xml");
    String xml = Files.readString(delivered);
    assertThat(xml).contains("<ADT_A01").contains("<MSH.10>" + controlId + "</MSH.10>").contains("<XPN.2>ADAM</XPN.2>");
    assertThat(delivery(controlId, "rit-xml").getString("sentContentType")).isEqualTo("HL7V2_XML");
  }

  @Test
  void aDestinationTakenFromTheMessageThroughALookupTable() throws Exception {
    String controlId = controlId("RD");
    // MSH-5.1 of this sample is EHRApp, which the table sends to rit-dynamic
    send("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7", controlId);

    await().atMost(DELIVERY).until(() -> file("rit-dynamic", controlId), Optional::isPresent);
    assertThat(MllpToFileIT.onlyMessageWithControlId(controlId).getString("statusDetail")).contains("rit-dynamic -> rit-dynamic");
  }

  @Test
  void anInvalidRouteIsReportedWithTheReasonAndSkipped() throws Exception {
    JsonObject broken = json("/api/routes").asJsonArray().getValuesAs(JsonObject.class).stream()
        .filter(r -> r.getString("name").equals("rit-broken")).findFirst().orElseThrow();
    assertThat(broken.getBoolean("valid")).isFalse();
    assertThat(broken.getString("error")).contains("unknown operator '=='");

    String woman = controlId("RB");
    send("hl7v2/microsoft-fhir-converter/ADT04-251.hl7", woman);
    await().atMost(DELIVERY).until(() -> file("rit-women", woman), Optional::isPresent);
    assertThat(MllpToFileIT.onlyMessageWithControlId(woman).getString("statusDetail")).doesNotContain("rit-broken");
  }
}
