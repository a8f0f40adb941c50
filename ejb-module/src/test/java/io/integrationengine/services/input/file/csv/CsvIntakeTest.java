package io.integrationengine.services.input.file.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.input.Hl7Reader;
import io.integrationengine.services.input.file.FileRecord;
import io.integrationengine.services.input.file.FolderChannel;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.fhir.FhirProfiles;
import io.integrationengine.services.processing.fhir.FhirValidation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * CSV intake without a server: the demo mappings of {@code config/csv/} read ReportStream's
 * lab-result extract and its awkward variants (testdata/csv/cdc-prime-reportstream), each row
 * becomes an HL7v2 ORU^R01 or a FHIR Bundle that HAPI reads back (and validates), and each bad
 * row a rejected record with its bytes and a reason naming row, column and value.
 */
class CsvIntakeTest {

  private static final Path CONFIG = Path.of("..", "config");
  private static final CsvMapping ORU = CsvMapping.read(CONFIG.resolve("csv/lab-results-oru.properties"));
  private static final CsvMapping FHIR = CsvMapping.read(CONFIG.resolve("csv/lab-results-fhir.properties"));
  private static final Hl7Reader READER = new Hl7Reader();
  private static final String FILE_ID = "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b";

  private static byte[] sample(String name) throws IOException {
    try (InputStream in = CsvIntakeTest.class.getResourceAsStream("/testdata/csv/cdc-prime-reportstream/" + name)) {
      return in.readAllBytes();
    }
  }

  private static List<FileRecord> rows(byte[] file, CsvMapping mapping) throws IOException {
    CsvFileRows rows = CsvFileRows.open(new ByteArrayInputStream(file), mapping, 0, 1);
    List<FileRecord> all = new ArrayList<>();
    FileRecord r;
    while ((r = rows.next()) != null) {
      all.add(r);
    }
    return all;
  }

  private static List<StoredMessage> messages(String sample, CsvMapping mapping) throws IOException {
    return rows(sample(sample), mapping).stream().map(r -> CsvRecordMessages.message(r, mapping, READER, "file:csv", FILE_ID, sample)).toList();
  }

  private static String text(StoredMessage m) {
    return new String(m.getContent(), StandardCharsets.UTF_8);
  }

  @Test
  void eachRowOfTheHappyPathBecomesAnOruR01WithTheMappedFields() throws Exception {
    List<StoredMessage> messages = messages("happy-path.csv", ORU);

    assertThat(messages).hasSize(7).allSatisfy(m -> {
      assertThat(m.getStatus()).isEqualTo(MessageStatus.RECEIVED);
      assertThat(m.getContentType()).isEqualTo(ContentType.HL7V2_ER7);
      assertThat(m.getMessageType()).isEqualTo("ORU^R01");
      assertThat(m.getParentId()).isEqualTo(FILE_ID);
    });
    assertThat(messages).extracting(StoredMessage::getRecordNumber).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    StoredMessage fourth = messages.get(3);
    assertThat(fourth.getControlId()).isEqualTo("3e4f5a6b-4");
    Message parsed = READER.parse(text(fourth));
    Terser t = new Terser(parsed);
    assertThat(parsed.getVersion()).isEqualTo("2.5.1");
    assertThat(t.get("/MSH-9-3")).isEqualTo("ORU_R01");
    assertThat(t.get("/MSH-4-1")).isEqualTo("lab1");
    assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-5-1")).isEqualTo("Bates");
    assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-5-2")).isEqualTo("Crystal");
    assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-11-4")).isEqualTo("FL");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBR-3-1")).isEqualTo("22829307");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBR-7")).isEqualTo("20201010174231+0000");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-14")).isEqualTo("20201010174231+0000");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-5-1")).isEqualTo("10828004");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-3-1")).isEqualTo("94500-6");
    assertThat(t.get("/PATIENT_RESULT/ORDER_OBSERVATION/SPECIMEN/SPM-2-2-1")).isEqualTo("22829307");
    assertThat(fourth.firstAttribute(CsvRecordMessages.LINE)).isEqualTo("5");
    assertThat(fourth.firstAttribute("patientName")).isEqualTo("Bates^Crystal");
  }

  @Test
  void theRowsBytesAreWhereTheRecordSaysTheyAreInTheFile() throws IOException {
    byte[] file = sample("happy-path.csv");
    List<FileRecord> rows = rows(file, ORU);

    for (FileRecord row : rows) {
      assertThat(row.bytes()).isEqualTo(Arrays.copyOfRange(file, (int) row.start(), (int) row.end()));
    }
    assertThat(new String(rows.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("lab1,Gary,Aguilar,FL,2020-10-10T17:42:31+00:00,28504428,covid-19:neg\n");
    assertThat(rows.get(6).end()).isEqualTo(file.length);
  }

  @Test
  void columnsAreFoundByNameInAnyOrder() throws IOException {
    List<StoredMessage> reordered = messages("change-column-ordering.csv", ORU);

    assertThat(reordered).hasSize(7).allSatisfy(m -> assertThat(m.getStatus()).isEqualTo(MessageStatus.RECEIVED));
    assertThat(text(reordered.get(0))).contains("|Aguilar^Gary|").contains("MSH|^~\\&|CSV-LAB-EXTRACT|lab1|");
  }

  @Test
  void quotedValuesKeepTheirCommasAndDelimitersInValuesAreEscapedByHapi() throws Exception {
    List<StoredMessage> messages = messages("quoted-strings-with-embedded-commas.csv", ORU);

    assertThat(messages).hasSize(4).allSatisfy(m -> assertThat(m.getStatus()).isEqualTo(MessageStatus.RECEIVED));
    assertThat(new Terser(READER.parse(text(messages.get(1)))).get("/MSH-4-1")).isEqualTo("Labs, Inc");
    // a quote that does not start a value is part of it
    assertThat(new Terser(READER.parse(text(messages.get(2)))).get("/MSH-4-1")).isEqualTo("'Labs Inc'");

    List<StoredMessage> weird = messages("weird-data.csv", ORU);
    assertThat(weird).hasSize(7).allSatisfy(m -> assertThat(m.getStatus()).isEqualTo(MessageStatus.RECEIVED));
    assertThat(text(weird.get(0))).contains("|!@#$%\\S\\\\T\\*()|");
    assertThat(new Terser(READER.parse(text(weird.get(0)))).get("/MSH-4-1")).isEqualTo("!@#$%^&*()");
    assertThat(new Terser(READER.parse(text(weird.get(2)))).get("/MSH-4-1")).isEqualTo("{}|[]\\");
  }

  @Test
  void aLineBreakInsideAQuotedValueStaysInItsRowAndCannotBreakASegment() throws Exception {
    String csv = "lab,first_name,last_name,state,test_time,specimen_id,observation\r\n"
        + "\"Lab\r\nSecond line\",Gary,Aguilar,FL,2020-10-10T17:42:31+00:00,28504428,covid-19:neg\r\n"
        + "lab2,Ann,Lee,AZ,2020-10-10 17:42:31,1,covid-19:pos";
    List<FileRecord> rows = rows(csv.getBytes(StandardCharsets.UTF_8), ORU);

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).csv().line()).isEqualTo(2);
    assertThat(rows.get(1).csv().line()).isEqualTo(4);
    StoredMessage first = CsvRecordMessages.message(rows.get(0), ORU, READER, "file:csv", FILE_ID, "f.csv");
    assertThat(first.getStatus()).isEqualTo(MessageStatus.RECEIVED);
    assertThat(text(first).split("\r")).allSatisfy(segment -> assertThat(segment).matches("^[A-Z][A-Z0-9]{2}\\|.*"));
    assertThat(new Terser(READER.parse(text(first))).get("/MSH-4-1")).isEqualTo("Lab\rSecond line");
  }

  @Test
  void aRowWithTooManyOrTooFewValuesIsRejectedWithItsBytesAndSaysSo() throws IOException {
    StoredMessage tooMany = messages("too-much-data.csv", ORU).get(0);
    assertThat(tooMany.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(tooMany.getContentType()).isEqualTo(ContentType.CSV_RECORD);
    assertThat(text(tooMany)).isEqualTo("lab1,Gary,Aguilar,FL,2020-10-10T17:42:31+00:00,28504428,covid-19:neg,EXTRA-DATA-AT-THE-END\n");
    assertThat(tooMany.getStatusDetail()).isEqualTo("Row 1 (line 2): it has 8 values, the header has 7 columns (extra: 'EXTRA-DATA-AT-THE-END')");

    StoredMessage tooFew = messages("missing-data.csv", ORU).get(0);
    assertThat(tooFew.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(tooFew.getStatusDetail()).isEqualTo("Row 1 (line 2): it has 1 value, the header has 7 columns");
  }

  @Test
  void aRowWithValuesOfTheWrongTypeIsRejectedNamingEachColumnAndValue() throws IOException {
    StoredMessage wrong = messages("wrong-type-data.csv", ORU).get(0);

    assertThat(wrong.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(wrong.getStatusDetail()).startsWith("Row 1 (line 2): ")
        .contains("column state: 'not-a-state-name' does not match the pattern [A-Z]{2}")
        .contains("column test_time: 'not-a-date' is not a date and time in any of the formats yyyy-MM-dd'T'HH:mm:ssXXX")
        .contains("column specimen_id: 'not-a-number' is not a whole number")
        .contains("column observation: 'not-a-lab-result' is not one of the listed values [covid-19:neg, covid-19:pos]");
    assertThat(text(wrong)).isEqualTo("1234,1234,1234,not-a-state-name,not-a-date,not-a-number,not-a-lab-result\n");
  }

  @Test
  void datesAreReadWithTheDeclaredFormatsOnlyAndInvalidDatesAreRefused() throws IOException {
    Properties p = new Properties();
    p.putAll(java.util.Map.of("output", "hl7v2", "messageType", "ORU^R01",
        "column.test_time", "OBX-14", "column.test_time.type", "date", "column.test_time.formats", "MMMM d, yyyy | M/d/yyyy | yyyy-MM-dd"));
    CsvMapping mapping = CsvMapping.parse("dates.properties", p);
    List<String> details = rows(sample("weird-dates.csv"), mapping).stream()
        .map(r -> CsvRecordMessages.message(r, mapping, READER, "file:csv", FILE_ID, "weird-dates.csv"))
        .map(m -> m.getStatus() == MessageStatus.REJECTED ? m.getStatusDetail() : "OBX-14 " + obx14(m))
        .toList();

    assertThat(details.get(0)).isEqualTo("OBX-14 20200131"); // January 31, 2020
    assertThat(details.get(1)).contains("column test_time: '1-31-2020' is not a date in any of the formats");
    assertThat(details.get(2)).isEqualTo("OBX-14 20200131"); // 01/31/2020
    assertThat(details.get(3)).contains("'31/01/2020' is not a date"); // day 31 is no month
    assertThat(details.get(4)).contains("'Jan 31, 2020' is not a date");
    assertThat(details.get(5)).isEqualTo("OBX-14 20200131");
    assertThat(details.get(6)).isEqualTo("OBX-14 20200131");
    assertThatThrownBy(() -> new CsvColumn("d", List.of("OBX-14"), CsvValueType.DATE, List.of("yyyy-MM-dd"), false, null, java.util.Map.of())
        .convert("2021-02-30", java.time.ZoneOffset.UTC)).hasMessage("'2021-02-30' is not a date in the format yyyy-MM-dd");
  }

  @Test
  void theFhirMappingMakesAValidTransactionBundleOfPatientAndObservation() throws IOException {
    List<StoredMessage> messages = messages("happy-path.csv", FHIR);
    FhirConversion conversion = new FhirConversion();
    FhirValidation validation = new FhirValidation(conversion);

    assertThat(messages).hasSize(7).allSatisfy(m -> {
      assertThat(m.getStatus()).isEqualTo(MessageStatus.RECEIVED);
      assertThat(m.getContentType()).isEqualTo(ContentType.FHIR_JSON);
      assertThat(m.getMessageType()).isEqualTo("Bundle");
    });
    for (StoredMessage m : messages) {
      Bundle bundle = (Bundle) conversion.context().newJsonParser().parseResource(text(m));
      List<SingleValidationMessage> errors = validation.validate(text(m), bundle, FhirProfiles.NONE).stream()
          .filter(i -> i.getSeverity() == ResultSeverityEnum.ERROR || i.getSeverity() == ResultSeverityEnum.FATAL).toList();
      assertThat(errors).as(text(m)).isEmpty();
    }
    Bundle fourth = (Bundle) conversion.context().newJsonParser().parseResource(text(messages.get(3)));
    assertThat(fourth.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    Patient patient = (Patient) fourth.getEntry().get(0).getResource();
    Observation observation = (Observation) fourth.getEntry().get(1).getResource();
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Bates");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Crystal");
    assertThat(patient.getAddressFirstRep().getState()).isEqualTo("FL");
    assertThat(observation.getSubject().getReference()).isEqualTo(fourth.getEntry().get(0).getFullUrl());
    assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2020-10-10T17:42:31Z");
    assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("10828004");
    assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
    assertThat(observation.getIdentifierFirstRep().getValue()).isEqualTo("22829307");
    assertThat(observation.getPerformerFirstRep().getDisplay()).isEqualTo("lab1");
    assertThat(fourth.getEntry().get(1).getRequest().getUrl()).isEqualTo("Observation");
    assertThat(messages.get(3).firstAttribute("patientName")).isNotNull();
  }

  @Test
  void aFileThatIsEmptyHeadersOnlyOrNotOfTheMappingHasNoRecordsAndSaysWhy() throws IOException {
    assertThat(CsvFileEnvelope.read(copy("completely-empty-file.csv"), ORU).problems()).containsExactly("Empty file: no header, no records");
    CsvFileEnvelope headersOnly = CsvFileEnvelope.read(copy("column-headers-only.csv"), ORU);
    assertThat(headersOnly.problems()).containsExactly("No records: the file holds only its header");
    assertThat(headersOnly.readable()).isTrue();

    CsvFileEnvelope notCsv = CsvFileEnvelope.read(copy("not-a-csv-file.csv"), ORU);
    assertThat(notCsv.readable()).isFalse();
    assertThat(notCsv.records()).isZero();
    assertThat(notCsv.problems()).singleElement().asString()
        .startsWith("Not a CSV file of mapping lab-results-oru.properties: its header (line 1) lacks the mapped column(s) first_name, lab, last_name, observation, specimen_id, state, test_time;")
        .endsWith("it has: This is not a csv file.");
    assertThat(notCsv.bytes()).isEqualTo(sample("not-a-csv-file.csv"));

    CsvFileEnvelope tooManyColumns = CsvFileEnvelope.read(copy("too-many-columns.csv"), ORU);
    assertThat(tooManyColumns.readable()).isFalse();
    assertThat(tooManyColumns.problems()).singleElement().asString().contains("col1, col2, col3").contains("... (2011 columns)");
    assertThat(rows(sample("too-many-columns.csv"), ORU)).isEmpty();
  }

  @Test
  void readingResumesAtARowBoundaryWithTheNextNumberAndLine() throws IOException {
    byte[] file = sample("1001-lines.csv");
    List<FileRecord> all = rows(file, ORU);
    assertThat(all).hasSize(999); // a header and 999 rows, each ending in LF
    FileRecord last = all.get(499);

    CsvFileRows resumed = CsvFileRows.open(new ByteArrayInputStream(file), ORU, last.end(), last.number() + 1);
    FileRecord next = resumed.next();

    assertThat(next.number()).isEqualTo(501);
    assertThat(next.start()).isEqualTo(last.end());
    assertThat(next.csv().line()).isEqualTo(502);
    assertThat(next.bytes()).isEqualTo(all.get(500).bytes());
    assertThatThrownBy(() -> CsvFileRows.open(new ByteArrayInputStream(file), ORU, last.end() - 3, 500)).hasMessageContaining("not the end of a row");
  }

  @Test
  void aFileWithoutAHeaderIsMappedByColumnNumberWithItsOwnDelimiterAndNoQuote() throws Exception {
    CsvMapping mapping = parse("output", "hl7v2", "messageType", "ADT^A04", "version", "2.5", "header", "false", "columns", "3", "delimiter", ";",
        "quote", "none", "column.1", "PID-3-1", "column.1.required", "true", "column.3", "PID-7", "column.3.type", "date", "column.3.formats", "dd.MM.yyyy");
    byte[] file = "12345;\"Doe\";01.02.1990\n\n;x;01.02.1990\n".getBytes(StandardCharsets.UTF_8);

    List<StoredMessage> messages = rows(file, mapping).stream().map(r -> CsvRecordMessages.message(r, mapping, READER, "file:csv", FILE_ID, "f.csv")).toList();

    assertThat(messages).hasSize(2);
    Terser first = new Terser(READER.parse(text(messages.get(0))));
    assertThat(first.get("/MSH-9-3")).isEqualTo("ADT_A01"); // HAPI's structure for ADT^A04
    assertThat(first.get("/PID-3-1")).isEqualTo("12345");
    assertThat(first.get("/PID-7")).isEqualTo("19900201");
    assertThat(messages.get(1).getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(messages.get(1).getStatusDetail()).isEqualTo("Row 2 (line 3): column 1: is required but empty");
  }

  @Test
  void aMappingIsCheckedWhenTheChannelIsRead() {
    assertThatThrownBy(() -> parse("output", "hl7v2", "messageType", "ORU^R01", "column.a", "PID-5-1", "column.a.typo", "x"))
        .hasMessageContaining("unknown key(s) [column.a.typo]");
    assertThatThrownBy(() -> parse("output", "hl7v2", "messageType", "ORU^R01", "column.a", "ZZZ-5-1")).hasMessageContaining("column.a: 'ZZZ-5-1'");
    assertThatThrownBy(() -> parse("output", "hl7v2", "messageType", "ORU^R01", "column.a", "PID-5-1", "column.a.type", "text"))
        .hasMessageContaining("type must be one of");
    assertThatThrownBy(() -> parse("output", "fhir", "resources", "Patient", "column.a", "Patient.nickname")).hasMessageContaining("column.a: 'Patient.nickname'");
    assertThatThrownBy(() -> parse("output", "fhir", "resources", "Patient", "column.a", "Observation.status")).hasMessageContaining("starting with one of the resources [Patient]");
    assertThatThrownBy(() -> parse("output", "fhir", "resources", "Pateint", "column.a", "Pateint.id")).hasMessageContaining("'Pateint' is not an R4 resource type");
    assertThatThrownBy(() -> parse("output", "csv")).hasMessageContaining("output must be hl7v2 or fhir");

    Properties channel = new Properties();
    channel.setProperty("type", "folder");
    channel.setProperty("format", "csv");
    assertThatThrownBy(() -> FolderChannel.from("lab", channel, Path.of("/in"), CONFIG)).hasMessageContaining("format csv needs a mapping");
    channel.setProperty("mapping", "csv/lab-results-oru.properties");
    assertThat(FolderChannel.from("lab", channel, Path.of("/in"), CONFIG).mapping().messageType()).isEqualTo("ORU^R01");
    channel.setProperty("format", "xml");
    assertThatThrownBy(() -> FolderChannel.from("lab", channel, Path.of("/in"), CONFIG)).hasMessageContaining("format must be hl7 or csv");
  }

  private static String obx14(StoredMessage m) {
    try {
      return new Terser(READER.parse(text(m))).get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-14");
    } catch (ca.uhn.hl7v2.HL7Exception e) {
      throw new AssertionError(e);
    }
  }

  private static CsvMapping parse(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return CsvMapping.parse("test.properties", p);
  }

  private static Path copy(String sample) throws IOException {
    Path file = java.nio.file.Files.createTempFile("csv", ".csv");
    java.nio.file.Files.write(file, sample(sample));
    file.toFile().deleteOnExit();
    return file;
  }
}
