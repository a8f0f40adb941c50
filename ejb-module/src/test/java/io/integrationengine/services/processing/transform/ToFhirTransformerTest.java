package io.integrationengine.services.processing.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.TestData;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformChain;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.fhir.FhirConversion;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class ToFhirTransformerTest {

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

  // one per class: the R4 context takes seconds to build
  private static final FhirConversion CONVERSION = new FhirConversion();
  private final Transformer toFhir = new ToFhirTransformer(CONVERSION);

  private static Content er7(String text, Charset charset) {
    return new Content(text.replace("\n", "\r").getBytes(charset), ContentType.HL7V2_ER7, charset);
  }

  private static Content sample(String path) {
    return er7(TestData.text(path), StandardCharsets.UTF_8);
  }

  private static Bundle bundle(Content json) {
    return CONVERSION.context().newJsonParser().parseResource(Bundle.class, json.text());
  }

  private static Patient patient(Bundle bundle) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance).map(Patient.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no Patient in the Bundle"));
  }

  @Test
  void anAdtBecomesATransactionBundleAsFhirJsonInUtf8() throws TransformException {
    Content out = toFhir.prepare(List.of(), NO_TABLES).apply(sample("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));

    assertThat(out.type()).isEqualTo(ContentType.FHIR_JSON);
    assertThat(out.type().mediaType()).isEqualTo("application/fhir+json");
    assertThat(out.type().extension()).isEqualTo("json");
    assertThat(out.charset()).isEqualTo(StandardCharsets.UTF_8);
    Bundle bundle = bundle(out);
    assertThat(bundle.getType()).isEqualTo(BundleType.TRANSACTION);
    assertThat(bundle.getIdentifier().getValue()).isEqualTo("MSG00001");
    Patient patient = patient(bundle);
    assertThat(patient.getIdentifier()).anySatisfy(id -> assertThat(id.getValue()).isEqualTo("PATID1234"));
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("EVERYMAN");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).startsWith("ADAM");
    // a transaction entry says how a server applies it: conditional update on the identifier
    assertThat(bundle.getEntry()).filteredOn(e -> e.getResource() instanceof Patient)
        .allSatisfy(e -> assertThat(e.getRequest().getUrl()).startsWith("Patient?identifier="));
  }

  @Test
  void theMessageArgumentGivesAMessageBundleLedByItsHeader() throws TransformException {
    Content out = toFhir.prepare(List.of("message"), NO_TABLES).apply(sample("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));

    Bundle bundle = bundle(out);
    assertThat(bundle.getType()).isEqualTo(BundleType.MESSAGE);
    assertThat(bundle.getEntryFirstRep().getResource()).isInstanceOf(MessageHeader.class);
    assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(e.hasRequest()).isFalse());
  }

  @Test
  void aLabResultKeepsItsObservations() throws TransformException {
    Content out = toFhir.prepare(List.of("transaction"), NO_TABLES).apply(sample("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7"));

    assertThat(bundle(out).getEntry()).anySatisfy(e -> assertThat(e.getResource().fhirType()).isEqualTo("Observation"));
    assertThat(out.text()).contains("20509-6");
  }

  @Test
  void textInItsOwnCharsetIsReadWithIt() throws TransformException {
    String message = "MSH|^~\\&|A|B|C|D|20240101120000+0100||ADT^A01^ADT_A01|CTRL-L1|P|2.5\rPID|1||123^^^HOSP^MR||Müller^Zoë||19700101|F\r";
    Content out = toFhir.prepare(List.of(), NO_TABLES).apply(er7(message, StandardCharsets.ISO_8859_1));

    assertThat(out.charset()).isEqualTo(StandardCharsets.UTF_8);
    Patient patient = patient(bundle(out));
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Müller");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Zoë");
  }

  @Test
  void whatTheBundleDoesNotCarryIsLoggedByPositionWithTheControlIdAndNeverItsValue() throws TransformException {
    String message = "MSH|^~\\&|SENDER|B|C|D|20240101120000+0100||ADT^A01^ADT_A01|CTRL-Z1|P|2.5\rPID|1||123^^^HOSP^MR||DOE^JANE||19700101|F\r"
        + "ZPI|1|SECRET-VALUE\r";
    List<LogRecord> records = capture(() -> toFhir.prepare(List.of(), NO_TABLES).apply(er7(message, StandardCharsets.UTF_8)));

    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.INFO);
      assertThat(r.getMessage()).contains("message CTRL-Z1").contains("ADT^A01^ADT_A01 from SENDER").contains("MSH-11, ZPI (segment 3)")
          .doesNotContain("SECRET-VALUE");
    });
  }

  @Test
  void aWrongBundleTypeMakesTheRouteInvalid() {
    assertThatThrownBy(() -> toFhir.prepare(List.of("batch"), NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'batch'").hasMessageContaining("[transaction, message]");
    assertThatThrownBy(() -> toFhir.prepare(List.of("message", "x"), NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2 arguments");
  }

  @Test
  void theChainFindsItByName() throws TransformException {
    TransformChain chain = TransformChain.parse("set(PID-3.4, HOSP); toFhir(message)",
        Map.of("toFhir", toFhir, "set", new SetFieldTransformer()), NO_TABLES);

    Content out = chain.apply(sample("hl7v2/microsoft-fhir-converter/ADT04-251.hl7"));
    assertThat(out.type()).isEqualTo(ContentType.FHIR_JSON);
    assertThat(patient(bundle(out)).getIdentifier()).anySatisfy(id -> assertThat(id.getAssigner().getDisplay()).isEqualTo("HOSP"));
  }

  @Test
  void contentThatIsNotEr7OrNotAMessageFailsWithTheReason() {
    var step = toFhir.prepare(List.of(), NO_TABLES);
    assertThatThrownBy(() -> step.apply(new Content("{}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8)))
        .isInstanceOf(TransformException.class).hasMessageContaining("works on HL7V2_ER7");
    assertThatThrownBy(() -> step.apply(er7("hello", StandardCharsets.UTF_8)))
        .isInstanceOf(TransformException.class).hasMessageStartingWith("toFhir(transaction): ");
  }

  private interface Action {
    void run() throws TransformException;
  }

  private static List<LogRecord> capture(Action action) throws TransformException {
    Logger log = Logger.getLogger(ToFhirTransformer.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try {
      action.run();
    } finally {
      log.removeHandler(handler);
    }
    return records;
  }
}
