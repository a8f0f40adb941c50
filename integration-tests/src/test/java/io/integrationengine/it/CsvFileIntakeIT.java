package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * CSV file intake, black box, with the demo channels of {@code config/files-resources.xml}:
 * ReportStream's lab-result extracts (and their awkward variants) dropped into {@code var/in/csv}
 * become HL7v2 ORU^R01 messages in {@code var/out/csv}, and into {@code var/in/csv-fhir} FHIR
 * transaction Bundles in {@code var/out/csv-fhir}, one per row, as the mappings in
 * {@code config/csv/} say; bad rows are rejected with a report in {@code var/error/<channel>}
 * while the good rows of the file go on; empty files and files that are not CSV go to the error
 * folder with a report.
 */
class CsvFileIntakeIT {

  private static final Duration DONE = Duration.ofSeconds(90);
  private static final String SAMPLES = "csv/cdc-prime-reportstream/";
  private static final HapiContext HAPI = new DefaultHapiContext();

  static {
    HAPI.setValidationContext(ValidationContextFactory.noValidation());
  }

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void eachRowOfALabResultExtractIsDeliveredAsAnOruR01WithItsMappedFields() throws Exception {
    byte[] file = TestData.bytes(SAMPLES + "happy-path.csv");
    String name = unique("happy-path.csv");

    drop("csv", name, file);

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    assertThat(job.getInt("recordsRead")).isEqualTo(7);
    assertThat(job.getInt("recordsStored")).isEqualTo(7);
    assertThat(Path.of(job.getString("result"))).isEqualTo(var("archive/csv").resolve(name)).hasBinaryContent(file);
    List<JsonObject> records = records(job);
    assertThat(records).extracting(r -> r.getString("messageType")).containsOnly("ORU^R01");

    Terser fourth = new Terser(hl7(delivered("csv", records.get(3).getString("messageId"), ".hl7")));
    assertThat(fourth.get("/MSH-9-1") + "^" + fourth.get("/MSH-9-2")).isEqualTo("ORU^R01");
    assertThat(fourth.get("/MSH-12")).isEqualTo("2.5.1");
    assertThat(fourth.get("/MSH-4-1")).isEqualTo("lab1");
    assertThat(fourth.get("/PATIENT_RESULT/PATIENT/PID-5-1")).isEqualTo("Bates");
    assertThat(fourth.get("/PATIENT_RESULT/PATIENT/PID-5-2")).isEqualTo("Crystal");
    assertThat(fourth.get("/PATIENT_RESULT/PATIENT/PID-11-4")).isEqualTo("FL");
    assertThat(fourth.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBR-3-1")).isEqualTo("22829307");
    assertThat(fourth.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-14")).isEqualTo("20201010174231+0000");
    assertThat(fourth.get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/OBX-5-1")).isEqualTo("10828004");
    for (JsonObject record : records) {
      assertThat(delivered("csv", record.getString("messageId"), ".hl7")).exists();
    }

    // the sender's bytes: the whole file is the records' parent message, and each record says where its row is
    assertThat(engine.getBytes("/api/messages/" + job.getString("id") + "/raw")).isEqualTo(file);
    String stored = engine.get("/api/messages/" + records.get(3).getString("messageId"));
    assertThat(stored).contains("\"csvLine\"").contains("\"5\"").contains("\"csvBytes\"");
  }

  @Test
  void theFhirMappingDeliversAValidTransactionBundleOfPatientAndObservationPerRow() throws Exception {
    String name = unique("happy-path.csv");

    drop("csv-fhir", name, TestData.bytes(SAMPLES + "happy-path.csv"));

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    List<JsonObject> records = records(job);
    assertThat(records).hasSize(7).extracting(r -> r.getString("messageType")).containsOnly("Bundle");
    for (JsonObject record : records) {
      Bundle bundle = (Bundle) FhirValidation.R4.newJsonParser().parseResource(Files.readString(delivered("csv-fhir", record.getString("messageId"), ".json")));
      assertThat(FhirValidation.errors(bundle)).isEmpty();
      assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    }
    Bundle first = (Bundle) FhirValidation.R4.newJsonParser().parseResource(Files.readString(delivered("csv-fhir", records.get(0).getString("messageId"), ".json")));
    Patient patient = (Patient) first.getEntry().get(0).getResource();
    Observation observation = (Observation) first.getEntry().get(1).getResource();
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Aguilar");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Gary");
    assertThat(observation.getSubject().getReference()).isEqualTo(first.getEntry().get(0).getFullUrl());
    assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2020-10-10T17:42:31Z");
    assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("260385009");
  }

  @Test
  void quotedValuesKeepTheirCommas() throws Exception {
    String name = unique("quoted.csv");

    drop("csv", name, TestData.bytes(SAMPLES + "quoted-strings-with-embedded-commas.csv"));

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    List<JsonObject> records = records(job);
    assertThat(records).hasSize(4);
    assertThat(new Terser(hl7(delivered("csv", records.get(0).getString("messageId"), ".hl7"))).get("/MSH-4-1")).isEqualTo("Bob's Country Bunker Lab");
    assertThat(new Terser(hl7(delivered("csv", records.get(1).getString("messageId"), ".hl7"))).get("/MSH-4-1")).isEqualTo("Labs, Inc");
  }

  @Test
  void rowsWithTooManyValuesOrWrongTypesAreRejectedWithAReportAndTheGoodRowsGoOn() throws Exception {
    // happy-path's header and first row, too-much-data's row (8 values), wrong-type-data's row, happy-path's last row
    String header = "lab,first_name,last_name,state,test_time,specimen_id,observation\n";
    List<String> happy = lines(SAMPLES + "happy-path.csv");
    String tooMany = lines(SAMPLES + "too-much-data.csv").get(1);
    String wrongTypes = lines(SAMPLES + "wrong-type-data.csv").get(1);
    String csv = header + happy.get(1) + "\n" + tooMany + "\n" + wrongTypes + "\n" + happy.get(7) + "\n";
    String name = unique("partly-bad.csv");

    drop("csv", name, csv.getBytes(StandardCharsets.UTF_8));

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ERROR");
    assertThat(job.getInt("recordsRead")).isEqualTo(4);
    assertThat(job.getInt("recordsStored")).isEqualTo(2);
    assertThat(job.getInt("recordsFailed")).isEqualTo(2);
    List<JsonObject> records = records(job);
    assertThat(records).extracting(r -> r.getString("status")).element(1).isEqualTo("REJECTED");
    assertThat(records).extracting(r -> r.getString("status")).element(2).isEqualTo("REJECTED");
    assertThat(new Terser(hl7(delivered("csv", records.get(0).getString("messageId"), ".hl7"))).get("/PATIENT_RESULT/PATIENT/PID-5-1")).isEqualTo("Aguilar");
    assertThat(new Terser(hl7(delivered("csv", records.get(3).getString("messageId"), ".hl7"))).get("/PATIENT_RESULT/PATIENT/PID-5-1")).isEqualTo("Pratt");
    // a rejected row is kept as it was in the file
    assertThat(new String(engine.getBytes("/api/messages/" + records.get(1).getString("messageId") + "/raw"), StandardCharsets.UTF_8)).isEqualTo(tooMany + "\n");

    assertThat(var("error/csv").resolve(name)).hasContent(csv);
    String report = Files.readString(var("error/csv").resolve(name + ".report.txt"));
    assertThat(report).contains("4 read, 2 stored and routed, 2 rejected");
    assertThat(report).contains("Record 2: rejected").contains("Row 2 (line 3): it has 8 values, the header has 7 columns (extra: 'EXTRA-DATA-AT-THE-END')");
    assertThat(report).contains("Record 3: rejected").contains("Row 3 (line 4): ")
        .contains("column test_time: 'not-a-date' is not a date and time")
        .contains("column specimen_id: 'not-a-number' is not a whole number")
        .contains("column state: 'not-a-state-name' does not match the pattern [A-Z]{2}");
    assertThat(report).doesNotContain("Record 1:").doesNotContain("Record 4:");
  }

  @Test
  void anEmptyFileAHeaderOnlyAndFilesThatAreNotCsvOfTheMappingGoToTheErrorFolderWithAReport() throws Exception {
    String empty = unique("completely-empty-file.csv");
    String headerOnly = unique("column-headers-only.csv");
    String notCsv = unique("not-a-csv-file.csv");
    String otherColumns = unique("too-many-columns.csv");
    for (String name : List.of(empty, headerOnly, notCsv, otherColumns)) {
      // written in place: an empty file renamed in is only taken once its size was stable, as any other
      Files.write(var("in/csv").resolve(name), TestData.bytes(SAMPLES + name.substring(9)));
    }

    assertThat(reportOf(empty)).contains("Empty file: no header, no records");
    assertThat(reportOf(headerOnly)).contains("No records: the file holds only its header");
    assertThat(reportOf(notCsv)).contains("Not a CSV file of mapping lab-results-oru.properties: its header (line 1) lacks the mapped column(s)")
        .contains("it has: This is not a csv file.");
    assertThat(reportOf(otherColumns)).contains("lacks the mapped column(s)").contains("(2011 columns)");
    JsonObject notCsvJob = finished(notCsv);
    assertThat(notCsvJob.getInt("recordsRead")).isZero();
    JsonObject envelope = Json.createReader(new StringReader(engine.get("/api/messages/" + notCsvJob.getString("id")))).readObject().getJsonObject("message");
    assertThat(envelope.getString("status")).isEqualTo("REJECTED");
    assertThat(engine.getBytes("/api/messages/" + notCsvJob.getString("id") + "/raw")).isEqualTo(TestData.bytes(SAMPLES + "not-a-csv-file.csv"));
  }

  // --- helpers

  private String reportOf(String name) throws IOException {
    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ERROR");
    assertThat(var("error/csv").resolve(name)).exists();
    return Files.readString(var("error/csv").resolve(name + ".report.txt"));
  }

  private static List<String> lines(String sample) {
    return List.of(new String(TestData.bytes(sample), StandardCharsets.UTF_8).split("\n"));
  }

  private static Message hl7(Path file) throws Exception {
    return HAPI.getPipeParser().parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static String unique(String name) {
    return UUID.randomUUID().toString().substring(0, 8) + "-" + name;
  }

  private Path var(String folder) {
    return engine.var().resolve(folder);
  }

  /** As a careful sender does: written under a name starting with a dot, then renamed into the folder. */
  private void drop(String channel, String name, byte[] content) throws IOException {
    Path in = var("in/" + channel);
    await().atMost(DONE).until(() -> Files.isDirectory(in));
    Path temp = in.resolve("." + name);
    Files.write(temp, content);
    Files.move(temp, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private Optional<JsonObject> job(String fileName) {
    JsonArray jobs = Json.createReader(new StringReader(engine.get("/api/jobs?limit=1000"))).readArray();
    return jobs.getValuesAs(JsonObject.class).stream().filter(j -> j.getString("file").equals(fileName)).findFirst();
  }

  /** The file's job once it is done, and its file moved. */
  private JsonObject finished(String fileName) {
    return await().atMost(DONE).ignoreExceptions()
        .until(() -> job(fileName), j -> j.isPresent() && !"RUNNING".equals(j.get().getString("status")) && Files.exists(Path.of(j.get().getString("result")))).get();
  }

  private List<JsonObject> records(JsonObject job) {
    return Json.createReader(new StringReader(engine.get("/api/jobs/" + job.getString("id") + "/records"))).readArray().getValuesAs(JsonObject.class);
  }

  /** The file a destination folder got for a message, once it is there. */
  private Path delivered(String folder, String messageId, String extension) {
    Path out = engine.outDir().resolve(folder);
    return await().atMost(DONE).until(() -> {
      if (!Files.isDirectory(out)) {
        return Optional.<Path>empty();
      }
      try (Stream<Path> files = Files.list(out)) {
        return files.filter(f -> f.getFileName().toString().endsWith("_" + messageId + extension)).findFirst();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Optional::isPresent).get();
  }
}
