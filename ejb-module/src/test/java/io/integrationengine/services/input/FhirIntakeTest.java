package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.fakes.RecordingStageQueue;
import io.integrationengine.fakes.TrackingUnitOfWork;
import io.integrationengine.services.input.FhirIntake.Result;
import io.integrationengine.services.input.FhirIntake.Status;
import io.integrationengine.services.input.FhirIntake.Submission;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.fhir.FhirValidation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The FHIR intake with HAPI's real parser and validator, the demo profile from config/, and an in-memory store. */
class FhirIntakeTest {

  private static final FhirConversion CONVERSION = new FhirConversion();
  private static final FhirValidation VALIDATION = new FhirValidation(CONVERSION);

  private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
  private final RecordingStageQueue stages = new RecordingStageQueue();
  private final MapDefinitionSource definitions = new MapDefinitionSource()
      .define("channels", "fhir", "fhirProfiles", "fhir/engine-patient.json")
      .define("channels", "open");
  private final FhirIntake intake = new FhirIntake(CONVERSION, VALIDATION, new FhirChannels(definitions, CONVERSION, Path.of("..", "config")),
      new MessageIntake(messages, stages, new TrackingUnitOfWork()));

  @BeforeAll
  static void prepareValidator() {
    VALIDATION.warmUp();
  }

  private Result post(String channel, String pathType, ContentType format, byte[] body) {
    return intake.receive(new Submission(body, null, format, pathType, channel, "fhir:" + channel, "127.0.0.1"));
  }

  private Result post(String pathType, String file) {
    ContentType format = file.endsWith(".xml") ? ContentType.FHIR_XML : ContentType.FHIR_JSON;
    return post("fhir", pathType, format, TestData.text("fhir/fhir-test-cases/" + file).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> errors(OperationOutcome outcome) {
    return outcome.getIssue().stream()
        .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
        .map(i -> (i.hasExpression() ? i.getExpression().get(0).getValue() + " " : "") + i.getDiagnostics())
        .toList();
  }

  @Test
  void aValidPatientIsStoredByteForByteWithItsAttributesAndQueuedForRouting() {
    byte[] body = TestData.text("fhir/fhir-test-cases/r4-examples/patient-example.json").getBytes(StandardCharsets.UTF_8);

    Result result = post("fhir", "Patient", ContentType.FHIR_JSON, body);

    assertThat(result.status()).as("%s", errors(result.outcome())).isEqualTo(Status.ACCEPTED);
    StoredMessage stored = messages.stored.get(result.messageId());
    assertThat(stored.getContent()).isEqualTo(body);
    assertThat(stored.getContentType()).isEqualTo(ContentType.FHIR_JSON);
    assertThat(stored.getStatus()).isEqualTo(MessageStatus.RECEIVED);
    assertThat(stored.getChannel()).isEqualTo("fhir:fhir");
    assertThat(stored.getMessageType()).isEqualTo("Patient");
    assertThat(stored.getControlId()).isEqualTo("example");
    assertThat(stored.attribute("resourceType")).containsExactly("Patient");
    assertThat(stored.attribute("patientId")).contains("12345");
    assertThat(stored.attribute("patientIdentifier")).contains("urn:oid:1.2.36.146.595.217.0.1|12345");
    assertThat(stored.attribute("patientName")).containsExactly("Chalmers^Peter");
    assertThat(stages.toRouting).containsExactly(result.messageId());
    assertThat(result.outcome().getIssueFirstRep().getDiagnostics()).isEqualTo("accepted as message " + result.messageId());
  }

  @Test
  void xmlIsTakenToo() {
    Result result = post("Patient", "r4-examples/patient-example.xml");

    assertThat(result.status()).as("%s", errors(result.outcome())).isEqualTo(Status.ACCEPTED);
    assertThat(messages.stored.get(result.messageId()).getContentType()).isEqualTo(ContentType.FHIR_XML);
  }

  @Test
  void aPatientBreakingTheChannelsProfileIsRefusedWithEveryIssueAndStoredAsRejected() {
    String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:x\",\"value\":\"1\"}],\"gender\":\"female\"}";

    Result result = post("fhir", "Patient", ContentType.FHIR_JSON, patient.getBytes(StandardCharsets.UTF_8));

    assertThat(result.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(errors(result.outcome())).anySatisfy(e -> assertThat(e).contains("eng-mrn"))
        .anySatisfy(e -> assertThat(e).contains("Patient.birthDate").contains("minimum required = 1"));
    StoredMessage stored = messages.stored.get(result.messageId());
    assertThat(stored.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(stored.getStatusDetail()).contains("eng-mrn");
    assertThat(stages.toRouting).isEmpty();
  }

  @Test
  void aChannelWithoutProfilesChecksBaseR4Only() {
    String patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}";

    assertThat(post("open", "Patient", ContentType.FHIR_JSON, patient.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(Status.ACCEPTED);
    assertThat(post("fhir", "Patient", ContentType.FHIR_JSON, patient.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(Status.UNPROCESSABLE);
  }

  @Test
  void baseR4ViolationsAreRefusedWithTheirLocation() {
    Result result = post("Patient", "validator-r4/patient-id-bad-1.json");

    assertThat(result.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(errors(result.outcome())).anySatisfy(e -> assertThat(e).contains("Patient.id").contains("line"));
  }

  @Test
  void malformedJsonIsABadRequestAndStored() {
    Result result = post(null, "validator-r4/bad-json-close-1.json");

    assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(errors(result.outcome())).singleElement().asString().startsWith("not FHIR R4 JSON");
    assertThat(messages.stored.get(result.messageId()).getStatus()).isEqualTo(MessageStatus.REJECTED);
  }

  @Test
  void theTypeMustMatchThePathAndExist() {
    byte[] patient = TestData.text("fhir/fhir-test-cases/r4-examples/patient-example.json").getBytes(StandardCharsets.UTF_8);

    Result mismatch = post("fhir", "Observation", ContentType.FHIR_JSON, patient);
    Result unknown = post("fhir", "Patients", ContentType.FHIR_JSON, patient);
    Result notABundle = post("fhir", null, ContentType.FHIR_JSON, patient);

    assertThat(mismatch.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(errors(mismatch.outcome())).singleElement().asString().contains("the body is a Patient but the path says Observation");
    assertThat(unknown.status()).isEqualTo(Status.NOT_FOUND);
    assertThat(errors(unknown.outcome())).singleElement().asString().contains("unknown resource type 'Patients'");
    assertThat(notABundle.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(errors(notABundle.outcome())).singleElement().asString().contains("POST /api/fhir takes a Bundle");
    assertThat(messages.stored.values()).extracting(StoredMessage::getStatus).containsOnly(MessageStatus.REJECTED).hasSize(3);
  }

  /** A Bundle of {@code type} holding {@code entries} (JSON objects), each with a urn:uuid fullUrl, and requests when it is a transaction or batch. */
  static String bundle(String type, String... entries) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\"");
    if (type.equals("message")) {
      json.append(",\"timestamp\":\"2024-01-01T10:00:00Z\"");
    }
    json.append(",\"entry\":[");
    for (int i = 0; i < entries.length; i++) {
      String resourceType = entries[i].replaceAll("(?s).*?\"resourceType\":\"([A-Za-z]+)\".*", "$1");
      json.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-00000000000").append(i).append("\",\"resource\":").append(entries[i]);
      if (type.equals("transaction") || type.equals("batch")) {
        json.append(",\"request\":{\"method\":\"POST\",\"url\":\"").append(resourceType).append("\"}");
      }
      json.append('}');
    }
    return json.append("]}").toString();
  }

  static final String PATIENT_WITH_MRN = "{\"resourceType\":\"Patient\",\"identifier\":[{\"type\":{\"coding\":[{\"system\":"
      + "\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"MR\"}]},\"system\":\"urn:oid:2.16.840.1.113883.19.5\",\"value\":\"MRN-7\"}],"
      + "\"name\":[{\"family\":\"Everywoman\",\"given\":[\"Eve\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}";
  static final String PATIENT_WITHOUT_MRN = "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"birthDate\":\"1980-02-02\"}";
  static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
      + "\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000000\"},\"valueQuantity\":{\"value\":72,"
      + "\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
  static final String MESSAGE_HEADER = "{\"resourceType\":\"MessageHeader\",\"eventCoding\":{\"system\":\"http://example.org/events\",\"code\":\"admit\"},"
      + "\"source\":{\"endpoint\":\"http://example.org/source\"},\"focus\":[{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000001\"}]}";

  private Result postBundle(String json) {
    return post("fhir", null, ContentType.FHIR_JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bundlesOfEachTypeAreTaken() {
    Result transaction = postBundle(bundle("transaction", PATIENT_WITH_MRN, OBSERVATION));
    Result batch = postBundle(bundle("batch", PATIENT_WITH_MRN));
    Result message = postBundle(bundle("message", MESSAGE_HEADER, PATIENT_WITH_MRN));
    Result collection = postBundle(bundle("collection", PATIENT_WITH_MRN, OBSERVATION));

    for (Result result : List.of(transaction, batch, message, collection)) {
      assertThat(result.status()).as("%s", errors(result.outcome())).isEqualTo(Status.ACCEPTED);
    }
    StoredMessage stored = messages.stored.get(transaction.messageId());
    assertThat(stored.getMessageType()).isEqualTo("Bundle");
    assertThat(stored.attribute("bundleType")).containsExactly("transaction");
    assertThat(stored.attribute("patientIdentifier")).containsExactly("urn:oid:2.16.840.1.113883.19.5|MRN-7");
    assertThat(messages.stored.get(message.messageId()).attribute("bundleType")).containsExactly("message");
  }

  @Test
  void theChannelsProfileAppliesToBundleEntries() {
    Result result = postBundle(bundle("collection", PATIENT_WITHOUT_MRN, OBSERVATION));

    assertThat(result.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(errors(result.outcome())).singleElement().asString().startsWith("Bundle.entry[0].resource ").contains("eng-mrn");
  }

  @Test
  void invalidBundlesAreRefusedListingEveryIssueWithItsLocation() {
    Result noType = post(null, "r4-examples/bundle-with-no-type.json");
    Result realWorld = post(null, "r4-examples/r4-caredove-bundle.json");
    Result messageXml = post(null, "validator-r4/message.xml");
    Result searchset = postBundle(bundle("searchset", PATIENT_WITH_MRN));

    assertThat(noType.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(errors(noType.outcome())).anySatisfy(e -> assertThat(e).contains("Bundle.type: minimum required = 1"));
    // ids written as numbers, missing fullUrls, objects where arrays belong: each with line and column
    assertThat(realWorld.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(errors(realWorld.outcome())).hasSizeGreaterThan(20)
        .anySatisfy(e -> assertThat(e).startsWith("Bundle.entry[0].resource.id").contains("(line 17, column 16)"));
    assertThat(messageXml.status()).isEqualTo(Status.UNPROCESSABLE);
    assertThat(searchset.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(errors(searchset.outcome())).singleElement().asString().contains("a Bundle of type searchset is not taken");
  }

  @Test
  void xmlWithADocumentTypeIsRefusedUnparsed() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Patient [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
        + "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/><name><family value=\"&secret;\"/></name></Patient>";

    Result result = post("fhir", "Patient", ContentType.FHIR_XML, xxe.getBytes(StandardCharsets.UTF_8));

    assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(errors(result.outcome())).singleElement().asString().contains("document type declaration");
    assertThat(messages.stored.get(result.messageId()).getContent()).isEqualTo(xxe.getBytes(StandardCharsets.UTF_8));
  }
}
