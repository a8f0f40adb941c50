package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An ADT over MLLP, on a route whose destinations get the {@code toFhir} transform, arrives as a
 * FHIR R4 Bundle file that HAPI FHIR's validator accepts against base R4 with no error, carrying
 * the patient; through {@code toFhir(); fromFhir(ADT^A08)} it arrives as a v2.5.1 A08. The route
 * takes only this test's sender (MSH-3), so other tests' messages pass by.
 */
class FhirTransformIT {

  private static final String SENDER = "FHIRIT";
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final String ADT = "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7";
  private static EngineUnderTest engine;

  @BeforeAll
  static void defineRoute() {
    engine = EngineUnderTest.get();
    engine.defineTogether(() -> {
      engine.define("destinations", "fit-fhir", "type", "file", "directory", "fit-fhir");
      engine.define("destinations", "fit-fhir-message", "type", "file", "directory", "fit-fhir-message");
      engine.define("destinations", "fit-fhir-v251", "type", "file", "directory", "fit-fhir-v251");
      engine.define("routes", "fit-fhir", "condition", "@sendingApplication = " + SENDER, "destinations", "fit-fhir, fit-fhir-message, fit-fhir-v251",
          "transforms_fit-fhir", "toFhir()", "transforms_fit-fhir-message", "toFhir(message)",
          "transforms_fit-fhir-v251", "toFhir(); fromFhir(ADT^A08)");
    });
  }

  @AfterAll
  static void removeRoute() {
    engine.removeDefinition("routes", "fit-fhir");
  }

  @Test
  void anAdtArrivesAsAValidTransactionBundleWithThePatient() throws Exception {
    String controlId = send(ADT);

    Path delivered = await().atMost(DELIVERY).until(() -> file("fit-fhir", controlId), Optional::isPresent).get();
    assertThat(delivered.getFileName().toString()).endsWith(".json");
    Bundle bundle = FhirValidation.R4.newJsonParser().parseResource(Bundle.class, Files.readString(delivered, StandardCharsets.UTF_8));
    assertThat(FhirValidation.errors(bundle)).isEmpty();
    assertThat(bundle.getType()).isEqualTo(BundleType.TRANSACTION);
    assertThat(bundle.getIdentifier().getValue()).isEqualTo(controlId);
    Patient patient = patient(bundle);
    assertThat(patient.getIdentifier()).anySatisfy(id -> assertThat(id.getValue()).isEqualTo("PATID1234"));
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("EVERYMAN");
    assertThat(patient.getNameFirstRep().getGiven()).first().hasToString("ADAM");

    // the record is written once the file is
    JsonObject record = delivery(controlId, "fit-fhir");
    assertThat(record.getString("sentContentType")).isEqualTo("FHIR_JSON");
    assertThat(record.getString("sentContent")).isEqualTo(Files.readString(delivered, StandardCharsets.UTF_8));
  }

  @Test
  void theMessageBundleTypeGivesAValidMessageBundleLedByItsHeader() throws Exception {
    String controlId = send(ADT);

    Path delivered = await().atMost(DELIVERY).until(() -> file("fit-fhir-message", controlId), Optional::isPresent).get();
    Bundle bundle = FhirValidation.R4.newJsonParser().parseResource(Bundle.class, Files.readString(delivered, StandardCharsets.UTF_8));
    assertThat(FhirValidation.errors(bundle)).isEmpty();
    assertThat(bundle.getType()).isEqualTo(BundleType.MESSAGE);
    assertThat(bundle.getEntryFirstRep().getResource()).isInstanceOf(MessageHeader.class);
    assertThat(patient(bundle).getIdentifier()).anySatisfy(id -> assertThat(id.getValue()).isEqualTo("PATID1234"));
  }

  @Test
  void throughFhirAndBackAnAdtBecomesAVersion251A08WithThePatient() throws Exception {
    String controlId = send(ADT);

    Path delivered = await().atMost(DELIVERY).until(() -> file("fit-fhir-v251", controlId), Optional::isPresent).get();
    assertThat(delivered.getFileName().toString()).endsWith(".hl7");
    String[] segments = Files.readString(delivered, StandardCharsets.UTF_8).split("\r");
    assertThat(segments[0]).contains("|ADT^A08^ADT_A01|" + controlId + "|P|2.5.1|").endsWith("|UNICODE UTF-8");
    assertThat(segments).anySatisfy(s -> assertThat(s).startsWith("PID|1||").contains("~PATID1234^^^test1^MR~").contains("|EVERYMAN^ADAM^A^III^Dr.^MD^"));
    assertThat(segments).anySatisfy(s -> assertThat(s).startsWith("PV1|1|P|"));
    assertThat(delivery(controlId, "fit-fhir-v251").getString("sentContentType")).isEqualTo("HL7V2_ER7");
  }

  @Test
  void hapiFhirInTheEngineUsesTheJacksonPackagedInTheEar() throws Exception {
    String controlId = send(ADT);
    await().atMost(DELIVERY).until(() -> file("fit-fhir", controlId), Optional::isPresent);

    // FhirConversion names the Jackson it got when it builds its FHIR context; Payara's own is 2.19 in modules/
    List<String> lines = Files.readAllLines(engine.domainDir().resolve("logs/server.log"), StandardCharsets.UTF_8);
    assertThat(lines).filteredOn(l -> l.contains("FHIR R4 context ready")).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("Jackson 2.20").contains("/applications/integration-engine/lib/"));
  }

  private static String send(String sample) throws IOException {
    String controlId = "FT" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String text = TestData.message(sample);
    String[] msh = text.substring(0, text.indexOf('\r')).split("\\|", -1);
    msh[2] = SENDER;
    msh[9] = controlId;
    String message = String.join("|", msh) + text.substring(text.indexOf('\r'));
    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);
    return controlId;
  }

  private static Optional<Path> file(String folder, String controlId) {
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

  private static Patient patient(Bundle bundle) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance).map(Patient.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no Patient in the Bundle"));
  }

  private static JsonObject delivery(String controlId, String destination) {
    return await().atMost(DELIVERY).until(() -> record(controlId, destination), r -> r.getString("status").equals("DELIVERED"));
  }

  private static JsonObject record(String controlId, String destination) {
    JsonObject summary = MllpToFileIT.onlyMessageWithControlId(controlId);
    return MllpToFileIT.deliveries(summary.getString("id")).getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("destination").equals(destination)).findFirst()
        .orElseThrow(() -> new AssertionError("no delivery to " + destination));
  }
}
