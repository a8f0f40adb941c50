package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FHIR intake as a FHIR system uses it, through HAPI's generic client (a client we did not
 * write): valid resources and Bundles of each type accepted (202, a message id, stored and routed,
 * FHIRPath route conditions included), every kind of bad input answered with an OperationOutcome,
 * and an XXE payload refused without the file it names being read.
 */
class FhirIntakeIT {

  private static final FhirContext R4 = FhirValidation.R4;
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";
  private static EngineUnderTest engine;
  private static IGenericClient client;

  @BeforeAll
  static void engine() {
    engine = EngineUnderTest.get();
    R4.getRestfulClientFactory().setSocketTimeout(60_000);
    client = R4.newRestfulGenericClient("http://127.0.0.1:" + engine.httpPort() + "/api/fhir");
    // a system posting to the intake: client-credentials token of engine-sender (role sender)
    client.registerInterceptor(new BearerTokenAuthInterceptor(engine.senderToken()));
    engine.defineTogether(() -> {
      engine.define("destinations", "fit-women", "type", "file", "directory", "fit-women");
      // unquoted: asadmin drops single quotes from the values it sets
      engine.define("routes", "fit-women", "condition", "@channel = fhir:rest and fhirpath(Patient.gender) = female", "destinations", "fit-women");
    });
  }

  /** A Patient the demo channel's profile takes: an MRN and a birth date. */
  private static Patient patient(String mrn, AdministrativeGender gender) {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(MRN_SYSTEM).setValue(mrn).getType().addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("MR");
    patient.addName().setFamily("Intake").addGiven(mrn);
    patient.setGender(gender).setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-01"));
    return patient;
  }

  private static String mrn() {
    return "FIT-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject message(String id) {
    return Json.createReader(new StringReader(engine.get("/api/messages/" + id))).readObject();
  }

  private static String messageId(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static Optional<Path> file(String folder, String messageId) {
    Path dir = engine.outDir().resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().contains(messageId)).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
    return R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
  }

  @Test
  void aPatientPostedWithTheGenericClientIsAcceptedStoredAndRoutedByFhirPath() {
    String mrn = mrn();

    MethodOutcome created = client.create().resource(patient(mrn, AdministrativeGender.FEMALE)).execute();

    assertThat(created.getResponseStatusCode()).isEqualTo(202);
    String location = created.getResponseHeaders().get("location").get(0);
    assertThat(location).contains("/api/messages/");
    String id = messageId(location);
    assertThat(((OperationOutcome) created.getOperationOutcome()).getIssueFirstRep().getDiagnostics()).isEqualTo("accepted as message " + id);
    JsonObject stored = message(id);
    assertThat(stored.getJsonObject("message").getString("contentType")).isEqualTo("FHIR_JSON");
    assertThat(stored.getJsonObject("message").getString("channel")).isEqualTo("fhir:rest");
    assertThat(stored.getJsonObject("message").getString("messageType")).isEqualTo("Patient");
    assertThat(stored.getJsonObject("attributes").getJsonArray("patientIdentifier").getString(0)).isEqualTo(MRN_SYSTEM + "|" + mrn);
    // the demo route takes everything from the intake; the FHIRPath route women only
    await().atMost(DELIVERY).until(() -> file("fhir-intake", id), Optional::isPresent);
    await().atMost(DELIVERY).until(() -> file("fit-women", id), Optional::isPresent);
  }

  @Test
  void aPatientPostedToTheIntakeIsFoundInTheBuiltInRepositoryByItsIdentifier() {
    String mrn = mrn();
    IGenericClient repository = engine.fhirRepository("auditor");

    client.create().resource(patient(mrn, AdministrativeGender.MALE)).execute();

    Bundle found = await().atMost(DELIVERY).until(() -> repository.search().forResource(Patient.class)
        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(MRN_SYSTEM, mrn)).returnBundle(Bundle.class).execute(), b -> b.getTotal() == 1);
    assertThat(((Patient) found.getEntryFirstRep().getResource()).getNameFirstRep().getGivenAsSingleString()).isEqualTo(mrn);
  }

  @Test
  void theBytesSentAreStoredAndDeliveredAsSent() throws IOException {
    byte[] body = TestData.bytes("fhir/fhir-test-cases/r4-examples/patient-example.json");

    HttpResponse<String> response = engine.post("/api/fhir/Patient", "application/fhir+json", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = response.headers().firstValue("X-Message-Id").orElseThrow();
    assertThat(engine.getBytes("/api/messages/" + id + "/raw")).isEqualTo(body);
    Path delivered = await().atMost(DELIVERY).until(() -> file("fhir-intake", id), Optional::isPresent).get();
    assertThat(Files.readAllBytes(delivered)).isEqualTo(body);
    // a man: not for the FHIRPath route
    assertThat(message(id).getJsonObject("message").getString("status")).isEqualTo("ROUTED");
    assertThat(file("fit-women", id)).isEmpty();
  }

  @Test
  void xmlIsTakenToo() {
    IGenericClient xml = R4.newRestfulGenericClient("http://127.0.0.1:" + engine.httpPort() + "/api/fhir");
    xml.registerInterceptor(new BearerTokenAuthInterceptor(engine.senderToken()));
    xml.setEncoding(EncodingEnum.XML);

    MethodOutcome created = xml.create().resource(patient(mrn(), AdministrativeGender.MALE)).execute();

    assertThat(created.getResponseStatusCode()).isEqualTo(202);
    assertThat(message(messageId(created.getResponseHeaders().get("location").get(0))).getJsonObject("message").getString("contentType"))
        .isEqualTo("FHIR_XML");
  }

  @Test
  void aPatientBreakingTheIntakesProfileIsRefusedWithEveryIssueAndStoredAsRejected() {
    Patient noMrn = new Patient().setGender(AdministrativeGender.OTHER);

    assertThatThrownBy(() -> client.create().resource(noMrn).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
          OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
          assertThat(outcome.getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics()).contains("eng-mrn"))
              .anySatisfy(i -> assertThat(i.getDiagnostics()).contains("Patient.birthDate: minimum required = 1"));
        });
    // stored as REJECTED with the reasons (the client's exception does not carry the response headers)
    assertThat(engine.get("/api/messages?status=REJECTED&limit=5")).contains("eng-mrn");
  }

  @Test
  void eachKindOfBadInputGetsAnOperationOutcomeSayingWhat() {
    byte[] patient = TestData.bytes("fhir/fhir-test-cases/r4-examples/patient-example.json");

    HttpResponse<String> wrongPath = engine.post("/api/fhir/Observation", "application/fhir+json", patient);
    HttpResponse<String> unknownType = engine.post("/api/fhir/Patients", "application/fhir+json", patient);
    HttpResponse<String> malformed = engine.post("/api/fhir", "application/fhir+json", TestData.bytes("fhir/fhir-test-cases/validator-r4/bad-json-close-1.json"));
    HttpResponse<String> notXml = engine.post("/api/fhir/Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/>".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> invalid = engine.post("/api/fhir/Patient", "application/fhir+json", TestData.bytes("fhir/fhir-test-cases/validator-r4/patient-id-bad-1.json"));
    HttpResponse<String> empty = engine.post("/api/fhir/Patient", "application/fhir+json", new byte[0]);

    assertThat(wrongPath.statusCode()).isEqualTo(400);
    assertThat(outcome(wrongPath).getIssueFirstRep().getDiagnostics()).contains("the body is a Patient but the path says Observation");
    assertThat(unknownType.statusCode()).isEqualTo(404);
    assertThat(outcome(unknownType).getIssueFirstRep().getDiagnostics()).contains("unknown resource type 'Patients'");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(outcome(malformed).getIssueFirstRep().getDiagnostics()).startsWith("not FHIR R4 JSON");
    assertThat(notXml.statusCode()).isEqualTo(400);
    assertThat(notXml.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+xml"));
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(outcome(invalid).getIssue()).anySatisfy(i -> {
      assertThat(i.getExpression().get(0).getValue()).isEqualTo("Patient.id");
      assertThat(i.getDiagnostics()).contains("Invalid Resource id").contains("(line 3, column");
    });
    assertThat(empty.statusCode()).isEqualTo(400);
    for (HttpResponse<String> refused : java.util.List.of(wrongPath, unknownType, malformed, invalid, empty)) {
      String id = refused.headers().firstValue("X-Message-Id").orElseThrow();
      assertThat(message(id).getJsonObject("message").getString("status")).isEqualTo("REJECTED");
    }
  }

  @Test
  void anXxePayloadIsRefusedWithoutReadingTheFile() throws IOException {
    String secret = "XXE-SECRET-" + UUID.randomUUID();
    Path file = Files.createTempFile("xxe", ".txt");
    Files.writeString(file, secret);
    String xxe = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE Patient [ <!ENTITY xxe SYSTEM \"" + file.toUri() + "\"> ]>\n"
        + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&xxe;\"/></name></Patient>";

    HttpResponse<String> response = engine.post("/api/fhir/Patient", "application/fhir+xml", xxe.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("document type declaration").doesNotContain(secret);
    String id = response.headers().firstValue("X-Message-Id").orElseThrow();
    assertThat(engine.get("/api/messages/" + id)).doesNotContain(secret).contains("REJECTED");
  }

  @Test
  void bundlesOfEachTypeAreAccepted() {
    Patient patient = patient(mrn(), AdministrativeGender.MALE);
    Observation pulse = new Observation().setStatus(Observation.ObservationStatus.FINAL);
    pulse.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
    pulse.setSubject(new Reference("urn:uuid:" + UUID.randomUUID()));

    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String patientUrl = "urn:uuid:" + UUID.randomUUID();
    pulse.setSubject(new Reference(patientUrl));
    transaction.addEntry().setFullUrl(patientUrl).setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
    transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(pulse).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    Bundle batch = transaction.copy().setType(Bundle.BundleType.BATCH);
    Bundle collection = transaction.copy().setType(Bundle.BundleType.COLLECTION);
    collection.getEntry().forEach(e -> e.setRequest(null));
    Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE).setTimestamp(new java.util.Date());
    MessageHeader header = new MessageHeader();
    header.getEventCoding().setSystem("http://example.org/events").setCode("admit");
    header.getSource().setEndpoint("http://example.org/source");
    header.addFocus(new Reference(patientUrl));
    message.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(header);
    message.addEntry().setFullUrl(patientUrl).setResource(patient.copy());

    Bundle transactionResponse = client.transaction().withBundle(transaction).execute();
    Bundle batchResponse = client.transaction().withBundle(batch).execute();
    HttpResponse<String> messagePosted = engine.post("/api/fhir", "application/fhir+json", R4.newJsonParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8));
    MethodOutcome collectionPosted = client.create().resource(collection).execute();

    assertThat(transactionResponse.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
    assertThat(transactionResponse.getEntry()).hasSize(2).allSatisfy(e -> assertThat(e.getResponse().getStatus()).isEqualTo("202 Accepted"));
    String transactionId = messageId(transactionResponse.getEntryFirstRep().getResponse().getLocation());
    JsonObject stored = message(transactionId);
    assertThat(stored.getJsonObject("message").getString("messageType")).isEqualTo("Bundle");
    assertThat(stored.getJsonObject("attributes").getJsonArray("bundleType").getString(0)).isEqualTo("transaction");
    assertThat(batchResponse.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    assertThat(messagePosted.statusCode()).as(messagePosted.body()).isEqualTo(202);
    assertThat(collectionPosted.getResponseStatusCode()).isEqualTo(202);
    await().atMost(DELIVERY).until(() -> file("fhir-intake", transactionId), Optional::isPresent);
  }

  @Test
  void aBundleOfATypeTheIntakeDoesNotTakeIsRefused() {
    Bundle searchset = new Bundle().setType(Bundle.BundleType.SEARCHSET);

    HttpResponse<String> response = engine.post("/api/fhir", "application/fhir+json", R4.newJsonParser().encodeResourceToString(searchset).getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("a Bundle of type searchset is not taken");
  }

  @Test
  void metadataDescribesTheIntakeAndItsProfiles() {
    CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();

    assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
    CapabilityStatementRestResourceComponent patient = capabilities.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals("Patient")).findFirst().orElseThrow();
    assertThat(patient.getSupportedProfile()).extracting(p -> p.getValue())
        .containsExactly("http://integrationengine.io/fhir/StructureDefinition/engine-patient");
  }
}
