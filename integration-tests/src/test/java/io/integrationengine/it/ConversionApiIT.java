package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/convert/hl7v2-to-fhir} as an analyst or a FHIR client calls it: the Bundle
 * back, valid against base R4; what it does not carry counted in a header, or as an
 * OperationOutcome when asked; malformed input answered 400 with an OperationOutcome saying why.
 */
class ConversionApiIT {

  private static final String PATH = "/api/convert/hl7v2-to-fhir";
  private static final String ER7 = "x-application/hl7-v2+er7";
  private static EngineUnderTest engine;

  @BeforeAll
  static void engine() {
    engine = EngineUnderTest.get();
  }

  private static byte[] adt() {
    // as a file on disk: LF line ends, which the endpoint accepts as segment separators
    return TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
  }

  @Test
  void anAdtComesBackAsAValidTransactionBundleWithTheNotesCounted() {
    HttpResponse<String> response = engine.post(PATH, ER7, adt());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
    assertThat(response.headers().firstValue("X-Conversion-Notes")).hasValueSatisfying(n -> assertThat(Integer.parseInt(n)).isPositive());
    Bundle bundle = FhirValidation.R4.newJsonParser().parseResource(Bundle.class, response.body());
    assertThat(FhirValidation.errors(bundle)).isEmpty();
    assertThat(bundle.getType()).isEqualTo(BundleType.TRANSACTION);
    Patient patient = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance)
        .map(Patient.class::cast).findFirst().orElseThrow();
    assertThat(patient.getIdentifier()).anySatisfy(id -> assertThat(id.getValue()).isEqualTo("PATID1234"));
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("EVERYMAN");
  }

  @Test
  void aMessageBundleInXmlWhenAskedFor() {
    HttpResponse<String> response = engine.post(PATH + "?bundleType=message", "text/plain; charset=UTF-8", adt(), "Accept", "application/fhir+xml");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+xml"));
    Bundle bundle = FhirValidation.R4.newXmlParser().parseResource(Bundle.class, response.body());
    assertThat(FhirValidation.errors(bundle)).isEmpty();
    assertThat(bundle.getType()).isEqualTo(BundleType.MESSAGE);
    assertThat(bundle.getEntryFirstRep().getResource()).isInstanceOf(MessageHeader.class);
  }

  @Test
  void theNotesAsAnOperationOutcomeWithOneWarningEach() {
    HttpResponse<String> counted = engine.post(PATH, ER7, adt());
    HttpResponse<String> response = engine.post(PATH, ER7, adt(), "Prefer", "return=OperationOutcome");

    assertThat(response.statusCode()).isEqualTo(200);
    OperationOutcome outcome = FhirValidation.R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(FhirValidation.errors(outcome)).isEmpty();
    assertThat(outcome.getIssue()).hasSize(Integer.parseInt(counted.headers().firstValue("X-Conversion-Notes").orElseThrow()))
        .allSatisfy(issue -> assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.WARNING));
    assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics()).startsWith("SFT (segment 2): segment not mapped"));
  }

  @Test
  void textThatIsNotHl7v2IsRefusedWithAnOperationOutcomeSayingWhy() {
    HttpResponse<String> response = engine.post(PATH, "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    OperationOutcome outcome = FhirValidation.R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.ERROR);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("not an HL7v2 ER7 message: ");
  }

  @Test
  void anEmptyBodyAWrongBundleTypeAndBytesNotInTheCharsetAreRefused() {
    assertThat(diagnostics(engine.post(PATH, ER7, new byte[0]))).contains("the body is empty");
    assertThat(diagnostics(engine.post(PATH + "?bundleType=batch", ER7, adt()))).contains("unknown bundleType 'batch'");
    byte[] latin1 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|X1|P|2.5\rPID|1||1^^^H^MR||M\u00fcller^Zo\u00eb\r".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(diagnostics(engine.post(PATH, ER7, latin1))).contains("not valid UTF-8").contains("declare its charset");
    // declared, it converts
    HttpResponse<String> declared = engine.post(PATH, ER7 + "; charset=ISO-8859-1", latin1);
    assertThat(declared.statusCode()).isEqualTo(200);
    assertThat(declared.body()).contains("M\u00fcller");
  }

  @Test
  void aBundleGoesBackToHl7v2AsTheEventAsked() {
    String bundle = engine.post(PATH, ER7, adt()).body();

    HttpResponse<String> response = engine.post("/api/convert/fhir-to-hl7v2?event=ADT%5EA04", "application/fhir+json", bundle.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(ER7));
    String[] segments = response.body().split("\r");
    assertThat(segments[0]).contains("|ADT^A04^ADT_A01|MSG00001|P|2.5.1|");
    assertThat(response.body()).contains("\rPID|1||").contains("|EVERYMAN^ADAM^A^III^Dr.^MD^");
  }

  @Test
  void fhirToHl7v2RefusesWhatItCannotReadOrConvert() {
    assertThat(diagnostics(engine.post("/api/convert/fhir-to-hl7v2", "application/fhir+json", "{\"resourceType\":".getBytes(StandardCharsets.UTF_8))))
        .startsWith("not FHIR R4 JSON");
    assertThat(diagnostics(engine.post("/api/convert/fhir-to-hl7v2?event=ADT%5EA99", "application/fhir+json",
        "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8)))).contains("unknown HL7v2 event 'ADT^A99'");
    assertThat(diagnostics(engine.post("/api/convert/fhir-to-hl7v2", "application/fhir+json",
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8)))).contains("needs a Patient");
  }

  private static String diagnostics(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(400);
    return FhirValidation.R4.newJsonParser().parseResource(OperationOutcome.class, response.body()).getIssueFirstRep().getDiagnostics();
  }
}
