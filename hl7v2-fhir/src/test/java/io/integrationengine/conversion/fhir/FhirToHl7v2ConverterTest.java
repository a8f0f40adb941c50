package io.integrationengine.conversion.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class FhirToHl7v2ConverterTest {

  private final FhirToHl7v2Converter converter = new FhirToHl7v2Converter();
  private final Hl7v2ToFhirConverter toFhir = new Hl7v2ToFhirConverter();
  private final HapiContext hapi = new DefaultHapiContext();

  {
    hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  private static String sample(String name) throws Exception {
    return Files.readString(
        Corpus.root().resolve("microsoft-fhir-converter").resolve(name), StandardCharsets.UTF_8);
  }

  private Terser read(String er7) throws Exception {
    Message message = hapi.getPipeParser().parse(er7);
    return new Terser(message);
  }

  @Test
  void aPatientWithItsEncounterBecomesTheAdtEventAsked() throws Exception {
    Bundle bundle = toFhir.convert(sample("ADT-A01-01.hl7")).bundle();
    for (Hl7v2Event event :
        new Hl7v2Event[] {Hl7v2Event.ADT_A01, Hl7v2Event.ADT_A04, Hl7v2Event.ADT_A08}) {
      Terser adt = read(converter.convert(bundle, event));
      assertThat(adt.get("/MSH-9-1") + "^" + adt.get("/MSH-9-2") + "^" + adt.get("/MSH-9-3"))
          .isEqualTo(event + "^ADT_A01");
      assertThat(adt.get("/MSH-12")).isEqualTo("2.5.1");
      assertThat(adt.get("/MSH-10")).isEqualTo("MSG00001");
      assertThat(adt.get("/EVN-1")).isEqualTo(event.trigger());
      assertThat(adt.get("/PID-5-1")).isEqualTo("EVERYMAN");
      assertThat(adt.get("/PID-5-2")).isEqualTo("ADAM");
      assertThat(adt.get("/PID-8")).isEqualTo("M");
      assertThat(adt.get("/PID-7")).isEqualTo("19880818112600+0215");
      assertThat(adt.get("/PV1-2")).isEqualTo("P");
    }
  }

  @Test
  void delimitersInValuesAreEscapedAndReadBack() throws Exception {
    Patient patient = new Patient();
    patient.addIdentifier(
        new Identifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("A|1"));
    patient.addName().setFamily("O'Neil^Smith & Co").addGiven("Ann~Marie\\");
    patient.setGender(AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1970-03-04"));

    String er7 = converter.convert(patient, Hl7v2Event.ADT_A08);

    assertThat(er7)
        .contains("O'Neil\\S\\Smith \\T\\ Co^Ann\\R\\Marie\\E\\")
        .contains("A\\F\\1^^^&2.16.840.1.113883.19.5&ISO");
    Terser back = read(er7);
    assertThat(back.get("/PID-5-1")).isEqualTo("O'Neil^Smith & Co");
    assertThat(back.get("/PID-5-2")).isEqualTo("Ann~Marie\\");
    assertThat(back.get("/PID-3-1")).isEqualTo("A|1");
    assertThat(back.get("/PID-7")).isEqualTo("19700304");
    assertThat(back.get("/PID-8")).isEqualTo("F");
    // no Encounter: PV1 says not applicable
    assertThat(back.get("/PV1-2")).isEqualTo("N");
  }

  @Test
  void resultsBecomeAnOruWithOneObrPerReportAndTheirObx() throws Exception {
    Bundle bundle = toFhir.convert(sample("LAB-ORU-1.hl7")).bundle();

    String er7 = converter.convert(bundle, Hl7v2Event.ORU_R01);

    Terser oru = read(er7);
    assertThat(oru.get("/MSH-9-1") + "^" + oru.get("/MSH-9-2")).isEqualTo("ORU^R01");
    assertThat(oru.get("/.PATIENT_RESULT/.PATIENT/PID-3-1")).isNotBlank();
    assertThat(oru.get("/.PATIENT_RESULT/.ORDER_OBSERVATION/OBR-4-1")).isNotBlank();
    assertThat(er7).contains("OBX|1|").contains("20509-6");
  }

  @Test
  void aLineBreakInTextIsTheFormattingEscape() throws Exception {
    Patient patient = new Patient();
    patient.addName().setFamily("DOE");
    Observation note = new Observation().setStatus(Observation.ObservationStatus.FINAL);
    note.getCode().setText("comment");
    note.setValue(new StringType("first line\nsecond line"));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    bundle.addEntry().setFullUrl("urn:uuid:1").setResource(patient);
    bundle.addEntry().setFullUrl("urn:uuid:2").setResource(note);

    String er7 = converter.convert(bundle, Hl7v2Event.ORU_R01);

    assertThat(er7).contains("|TX|^comment||first line\\.br\\second line|").doesNotContain("\n");
    assertThat(er7).contains("||||||F");
  }

  @Test
  void inputWithoutWhatTheEventNeedsIsRefusedWithTheReason() {
    assertThatThrownBy(() -> converter.convert(new Bundle(), Hl7v2Event.ADT_A08))
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("needs a Patient");
    assertThatThrownBy(() -> converter.convert(new Patient(), Hl7v2Event.ORU_R01))
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("at least one Observation");
  }

  @Test
  void eventsAreWrittenAsInMsh9() {
    assertThat(Hl7v2Event.of("ADT^A08")).isEqualTo(Hl7v2Event.ADT_A08);
    assertThat(Hl7v2Event.of("oru_r01")).isEqualTo(Hl7v2Event.ORU_R01);
    assertThatThrownBy(() -> Hl7v2Event.of("ADT^A99"))
        .hasMessageContaining("ADT^A01, ADT^A04, ADT^A08, ORU^R01");
  }
}
