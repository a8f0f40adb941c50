package io.integrationengine.services.processing.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.TestData;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformChain;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FromFhirTransformerTest {

  private static final LookupTables NO_TABLES = new LookupTables() {
    @Override
    public boolean exists(String table) {
      return false;
    }

    @Override
    public Optional<String> lookup(String table, String key) {
      return Optional.empty();
    }
  };

  private static final FhirConversion CONVERSION = new FhirConversion();
  private final FromFhirTransformer fromFhir = new FromFhirTransformer(CONVERSION);
  private final ToFhirTransformer toFhir = new ToFhirTransformer(CONVERSION);

  private static Content er7(String path) {
    return new Content(TestData.text(path).replace("\n", "\r").getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_ER7, StandardCharsets.UTF_8);
  }

  private static String field(Content content, String path) {
    return Er7Message.parse(content.text()).first(FieldPath.parse(path)).orElse(null);
  }

  @Test
  void fhirFromAnAdtGoesBackAsTheEventNamed() throws TransformException {
    TransformChain chain = TransformChain.parse("toFhir(); fromFhir(ADT^A08)", Map.of("toFhir", toFhir, "fromFhir", fromFhir), NO_TABLES);

    Content out = chain.apply(er7("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));

    assertThat(out.type()).isEqualTo(ContentType.HL7V2_ER7);
    assertThat(out.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(field(out, "MSH-9")).isEqualTo("ADT^A08^ADT_A01");
    assertThat(field(out, "MSH-12")).isEqualTo("2.5.1");
    assertThat(field(out, "MSH-18")).isEqualTo("UNICODE UTF-8");
    assertThat(field(out, "PID-5.1")).isEqualTo("EVERYMAN");
    assertThat(field(out, "PV1-2")).isEqualTo("P");
  }

  @Test
  void fhirXmlIsReadToo() throws TransformException {
    String xml = CONVERSION.encode(CONVERSION.hl7v2ToFhir(TestData.text("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7"),
        io.integrationengine.conversion.fhir.BundleKind.TRANSACTION).bundle(), ContentType.FHIR_XML, false);

    Content out = fromFhir.prepare(List.of("ORU^R01"), NO_TABLES).apply(new Content(xml.getBytes(StandardCharsets.UTF_8), ContentType.FHIR_XML, StandardCharsets.UTF_8));

    assertThat(field(out, "MSH-9")).isEqualTo("ORU^R01^ORU_R01");
    assertThat(out.text()).contains("20509-6");
  }

  @Test
  void theEventIsRequiredAndChecked() {
    assertThatThrownBy(() -> fromFhir.prepare(List.of(), NO_TABLES)).hasMessageContaining("fromFhir expects (event)");
    assertThatThrownBy(() -> fromFhir.prepare(List.of("ADT^A99"), NO_TABLES)).hasMessageContaining("unknown HL7v2 event 'ADT^A99'");
  }

  @Test
  void contentThatIsNotFhirFailsWithTheReason() {
    var step = fromFhir.prepare(List.of("ADT^A08"), NO_TABLES);
    assertThatThrownBy(() -> step.apply(er7("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7")))
        .isInstanceOf(TransformException.class).hasMessageContaining("works on FHIR_JSON or FHIR_XML");
    assertThatThrownBy(() -> step.apply(new Content("{\"resourceType\":\"Nope\"}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8)))
        .isInstanceOf(TransformException.class).hasMessageContaining("not FHIR R4 JSON");
    assertThatThrownBy(() -> step.apply(new Content("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON,
        StandardCharsets.UTF_8))).isInstanceOf(TransformException.class).hasMessageContaining("needs a Patient");
  }
}
