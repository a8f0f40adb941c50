package io.integrationengine.conversion.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;

/** Focused behaviour of the converter on small hand-made messages. */
class Hl7v2ToFhirConverterTest {

  private static final String MSH =
      "MSH|^~\\&|LAB|FAC^2.16.840.1.113883.19.4.6^ISO|EHR|HOSP|20240301101500+0100||";
  private final Hl7v2ToFhirConverter converter = new Hl7v2ToFhirConverter();

  private ConversionResult convert(String... segments) {
    return converter.convert(String.join("\r", segments));
  }

  private static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  @Test
  void timestampsKeepTheirOffsetAndPrecisionAndNoZoneIsApplied() {
    ConversionResult result =
        convert(
            MSH + "ADT^A01^ADT_A01|1|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JOHN||19800101",
            "PV1|1|I|||||||||||||||||V1^^^HOSP^VN|||||||||||||||||||||||||20240301101500-0330|20240302|");
    Encounter encounter = all(result.bundle(), Encounter.class).get(0);
    assertThat(encounter.getPeriod().getStartElement().getValueAsString())
        .isEqualTo("2024-03-01T10:15:00-03:30");
    assertThat(encounter.getPeriod().getEndElement().getValueAsString()).isEqualTo("2024-03-02");
    assertThat(result.bundle().getTimestampElement().getValueAsString())
        .isEqualTo("2024-03-01T10:15:00+01:00");
  }

  @Test
  void aTimeOfDayWithoutOffsetIsKeptToTheDayAndReported() {
    ConversionResult result =
        convert(
            MSH + "ORU^R01^ORU_R01|2|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JOHN",
            "OBR|1||F1^LAB|1234-5^Test^LN|||202403011015",
            "OBX|1|NM|1234-5^Test^LN||7|mg/dL|||||F|||202403011015");
    Observation observation = all(result.bundle(), Observation.class).get(0);
    assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-01");
    assertThat(result.notMapped())
        .anySatisfy(
            note -> {
              assertThat(note.location()).isEqualTo("OBX-14");
              assertThat(note.reason()).contains("without UTC offset");
            });
  }

  @Test
  void identifierSystemsComeFromOidsAndKnownAuthoritiesAndAreNeverInvented() {
    ConversionResult result =
        convert(
            MSH + "ADT^A04^ADT_A01|3|P|2.5.1",
            "PID|1||111^^^HOSP&2.16.840.1.113883.19.5&ISO^MR~222^^^USSSA^SS~333^^^LOCALCLINIC^PI||DOE^JOHN");
    Patient patient = all(result.bundle(), Patient.class).get(0);
    List<Identifier> ids = patient.getIdentifier();
    assertThat(ids)
        .extracting(Identifier::getSystem)
        .containsExactly("urn:oid:2.16.840.1.113883.19.5", "http://hl7.org/fhir/sid/us-ssn", null);
    assertThat(ids.get(2).getAssigner().getDisplay()).isEqualTo("LOCALCLINIC");
    assertThat(ids)
        .extracting(Identifier::getSystem)
        .noneMatch(s -> s != null && s.startsWith("urn:id:"));
    BundleEntryComponent entry = result.bundle().getEntry().get(0);
    assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
    assertThat(entry.getRequest().getUrl())
        .isEqualTo("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|111");
    assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
  }

  @Test
  void zSegmentsAndUnusedFieldsAreReportedAsNotMapped() {
    ConversionResult result =
        convert(
            MSH + "ADT^A01^ADT_A01|4|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JOHN|||||||||||||||||||||||||||||||||||||||||||EXTRA",
            "ZPI|1|custom data");
    assertThat(result.notMapped())
        .anySatisfy(
            note -> {
              assertThat(note.location()).isEqualTo("ZPI");
              assertThat(note.reason()).isEqualTo("segment not mapped");
              assertThat(note.segmentPosition()).isEqualTo(3);
            });
    assertThat(result.notMapped())
        .anySatisfy(note -> assertThat(note.location()).startsWith("PID-"));
  }

  @Test
  void observationsAfterSpecimenAreKeptAndPointAtIt() {
    ConversionResult result =
        convert(
            MSH + "ORU^R01^ORU_R01|5|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JOHN",
            "OBR|1||F1^LAB|24331-1^Lipid panel^LN",
            "OBX|1|NM|2093-3^Cholesterol^LN||180|mg/dL|<200||||F",
            "SPM|1|S1&LAB||119297000^Blood^SCT",
            "OBX|2|NM|2571-8^Triglyceride^LN||120|mg/dL|||||F",
            "OBX|3|ST|8251-1^Comment^LN||hemolysed||||||F");
    List<Observation> observations = all(result.bundle(), Observation.class);
    assertThat(observations).hasSize(3);
    Specimen specimen = all(result.bundle(), Specimen.class).get(0);
    assertThat(observations.get(1).getSpecimen().getReference()).isNotNull();
    assertThat(observations.get(2).getValueStringType().getValue()).isEqualTo("hemolysed");
    assertThat(observations.get(0).getValueQuantity().getSystem())
        .isEqualTo("http://unitsofmeasure.org");
    assertThat(observations.get(0).getReferenceRangeFirstRep().getHigh().getValue())
        .isEqualByComparingTo("200");
    assertThat(specimen.getType().getCodingFirstRep().getSystem())
        .isEqualTo("http://snomed.info/sct");
  }

  @Test
  void theHl7NullIsNoValueAndEscapesAreDecoded() {
    ConversionResult result =
        convert(
            MSH + "ADT^A08^ADT_A01|6|P|2.5.1",
            "PID|1||123^^^HOSP^MR||O\\T\\BRIEN^\"\"||\"\"|\"\"|||1 MAIN ST\\S\\APT 2^^TOWN");
    Patient patient = all(result.bundle(), Patient.class).get(0);
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("O&BRIEN");
    assertThat(patient.getNameFirstRep().hasGiven()).isFalse();
    assertThat(patient.hasBirthDate()).isFalse();
    assertThat(patient.hasGender()).isFalse();
    assertThat(patient.getAddressFirstRep().getLine().get(0).getValue())
        .isEqualTo("1 MAIN ST^APT 2");
  }

  @Test
  void telecomAlwaysHasASystem() {
    ConversionResult result =
        convert(
            MSH + "ADT^A08^ADT_A01|7|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JOHN||||||||^PRN^PH^^^555^1234567~^NET^Internet^j@x.org~5551234");
    List<ContactPoint> telecom = all(result.bundle(), Patient.class).get(0).getTelecom();
    assertThat(telecom)
        .extracting(ContactPoint::getValue)
        .containsExactly("555 1234567", "j@x.org", "5551234");
    assertThat(telecom).allSatisfy(t -> assertThat(t.hasSystem()).isTrue());
  }

  @Test
  void customDelimitersAreRead() {
    ConversionResult result =
        converter.convert(
            "MSH^~|\\&^SENDING^200M^RECEIVING^200^20120918173931-0500^^ADT~A24^2003582144^T^2.4\r"
                + "PID^1^^11111~~~FOO&&0363~NI^^SMITH~JOHN\r");
    Patient patient = all(result.bundle(), Patient.class).get(0);
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("SMITH");
    assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("11111");
  }

  @Test
  void vaccinationHasEveryRequiredElement() {
    ConversionResult result =
        convert(
            MSH + "VXU^V04^VXU_V04|8|P|2.5.1",
            "PID|1||123^^^HOSP^MR||DOE^JANE||20200101|F",
            "ORC|RE||IZ-1^NDA",
            "RXA|0|1|20240301||08^HepB^CVX|0.5|mL^mL^UCUM||00^New^NIP001||||||LOT1|20250101|MSD^Merck^MVX|||CP|A",
            "RXR|C28161^IM^NCIT|LA^Left arm^HL70163");
    Immunization immunization = all(result.bundle(), Immunization.class).get(0);
    assertThat(immunization.getStatus()).isEqualTo(Immunization.ImmunizationStatus.COMPLETED);
    assertThat(immunization.getVaccineCode().getCodingFirstRep().getSystem())
        .isEqualTo("http://hl7.org/fhir/sid/cvx");
    assertThat(immunization.getPatient().getReference()).startsWith("urn:uuid:");
    assertThat(immunization.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2024-03-01");
    assertThat(immunization.getLotNumber()).isEqualTo("LOT1");
    assertThat(immunization.getRoute().getCodingFirstRep().getCode()).isEqualTo("C28161");
    assertThat(immunization.getIdentifierFirstRep().getValue()).isEqualTo("IZ-1");
  }

  @Test
  void messageBundlesStartWithAMessageHeader() {
    ConversionResult result =
        converter.convert(
            MSH + "ADT^A01^ADT_A01|9|P|2.5.1\rPID|1||123^^^HOSP^MR||DOE^JOHN",
            ConversionOptions.of(BundleKind.MESSAGE));
    assertThat(result.bundle().getType()).isEqualTo(Bundle.BundleType.MESSAGE);
    MessageHeader header = (MessageHeader) result.bundle().getEntryFirstRep().getResource();
    assertThat(header.getEventCoding().getCode()).isEqualTo("A01");
    assertThat(result.bundle().getEntry()).allSatisfy(e -> assertThat(e.hasRequest()).isFalse());
  }

  @Test
  void aResentResultUpdatesTheSameResourcesInsteadOfCreatingNewOnes() {
    String first =
        String.join(
            "\r",
            MSH + "ORU^R01^ORU_R01|20|P|2.5.1",
            "PID|1||123^^^HOSP&2.16.840.1.113883.19.5&ISO^MR||DOE^JOHN",
            "OBR|1|P1^EHR|F1^LAB^2.16.840.1.113883.19.6^ISO|2093-3^Cholesterol^LN",
            "OBX|1|NM|2093-3^Cholesterol^LN||180|mg/dL|||||P");
    // The correction comes with a new control id and a final status.
    String resend = first.replace("|20|P|2.5.1", "|21|P|2.5.1").replace("||||P", "||||F");
    List<String> urls = requestUrls(converter.convert(first).bundle());
    assertThat(requestUrls(converter.convert(resend).bundle())).isEqualTo(urls);
    assertThat(urls).allMatch(url -> url.contains("?identifier="));
    assertThat(urls)
        .contains(
            "Patient?identifier=urn:oid:2.16.840.1.113883.19.5|123",
            "DiagnosticReport?identifier=urn:oid:2.16.840.1.113883.19.6|F1");
  }

  private static List<String> requestUrls(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getRequest().getUrl()).toList();
  }

  @Test
  void sameMessageGivesTheSameBundle() {
    String message = MSH + "ADT^A01^ADT_A01|10|P|2.5.1\rPID|1||123^^^HOSP^MR||DOE^JOHN";
    assertThat(converter.convert(message).bundle().getEntryFirstRep().getFullUrl())
        .isEqualTo(converter.convert(message).bundle().getEntryFirstRep().getFullUrl());
  }

  @Test
  void aSecondMessageInTheSameTextIsReportedNotMerged() {
    ConversionResult result =
        convert(
            MSH + "ADT^A01^ADT_A01|11|P|2.5.1", "PID|1||1^^^HOSP^MR||DOE^JOHN",
            MSH + "ADT^A01^ADT_A01|12|P|2.5.1", "PID|1||2^^^HOSP^MR||ROE^JANE");
    assertThat(all(result.bundle(), Patient.class)).hasSize(1);
    assertThat(result.notMapped())
        .anySatisfy(
            note -> {
              assertThat(note.location()).isEqualTo("MSH");
              assertThat(note.segmentPosition()).isEqualTo(3);
              assertThat(note.reason()).contains("2 segments");
            });
  }

  @Test
  void textThatIsNoHl7MessageIsRejected() {
    assertThatThrownBy(() -> converter.convert("hello world"))
        .isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> converter.convert("")).isInstanceOf(ConversionException.class);
  }
}
