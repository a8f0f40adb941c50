package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File intake, black box: files are dropped into the demo folder channel's folder ({@code var/in/hl7})
 * as a sender would (renamed in, or written in place); each record is awaited in a file
 * destination, byte for byte as it was in the file; the file itself in {@code var/archive/hl7} or,
 * with a report, in {@code var/error/hl7}; {@code /api/jobs} says what its job did.
 */
class FileIntakeIT {

  private static final Duration DONE = Duration.ofSeconds(90);
  private static final String DESTINATION = "files-it";

  private static EngineUnderTest engine;

  @BeforeAll
  static void routeFilesToADestination() {
    engine = EngineUnderTest.get();
    engine.defineTogether(() -> {
      if (!engine.get("/api/destinations").contains("\"name\":\"" + DESTINATION + "\"")) {
        engine.define("destinations", DESTINATION, "type", "file", "directory", DESTINATION);
      }
      if (!engine.get("/api/routes").contains("\"name\":\"" + DESTINATION + "\"")) {
        engine.define("routes", DESTINATION, "condition", "@channel = file:hl7", "destinations", DESTINATION);
      }
    });
  }

  @Test
  void aSingleMessageIsDeliveredByteForByteAndTheFileArchived() throws IOException {
    byte[] file = TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    String name = unique("adt.hl7");

    dropRenamed(name, file);

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    assertThat(job.getInt("recordsRead")).isEqualTo(1);
    assertThat(job.getInt("recordsStored")).isEqualTo(1);
    assertThat(job.getInt("recordsFailed")).isZero();
    assertThat(Path.of(job.getString("result"))).isEqualTo(var("archive/hl7").resolve(name)).hasBinaryContent(file);
    assertThat(var("in/hl7").resolve(name)).doesNotExist();
    JsonObject record = records(job).get(0);
    assertThat(delivered(record.getString("messageId"))).hasBinaryContent(file);
    JsonObject stored = Json.createReader(new StringReader(engine.get("/api/messages/" + record.getString("messageId")))).readObject().getJsonObject("message");
    assertThat(stored.getString("parentId")).isEqualTo(job.getString("id"));
    assertThat(stored.getString("channel")).isEqualTo("file:hl7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r", "\n", "\r\n"})
  void manyMessagesInOneFileAreSplitAtLinesStartingWithMshWhateverTheLineEnd(String lineEnd) throws IOException {
    List<byte[]> messages = Stream.of("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7", "hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7",
            "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt", "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7")
        .map(sample -> TestData.message(sample).replace("\r", lineEnd).getBytes(StandardCharsets.UTF_8))
        .toList();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      file.write(message);
      file.write(lineEnd.getBytes(StandardCharsets.US_ASCII)); // a blank line between messages belongs to neither
    }
    String name = unique("many.hl7");

    // written in place, not renamed: complete once its size has been stable
    Files.write(var("in/hl7").resolve(name), file.toByteArray());

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    assertThat(job.getInt("recordsStored")).isEqualTo(4);
    List<JsonObject> records = records(job);
    assertThat(records).extracting(r -> r.getInt("number")).containsExactly(1, 2, 3, 4);
    for (int i = 0; i < 4; i++) {
      assertThat(delivered(records.get(i).getString("messageId"))).hasBinaryContent(messages.get(i));
    }
  }

  @Test
  void anFhsBhsBatchWhoseObxValuesContainMshIsSplitIntoItsMessagesAndItsEnvelopeKeptAsTheParent() throws IOException {
    byte[] file = TestData.bytes("hl7v2/cdc-prime-reportstream/batch_message_msh_in_obx.hl7");
    String text = new String(file, StandardCharsets.UTF_8);
    int start = text.indexOf("\nMSH|") + 1;
    int second = text.indexOf("\nMSH|", start) + 1;
    int trailer = text.indexOf("\nBTS|") + 1;
    byte[] first = text.substring(start, second).getBytes(StandardCharsets.UTF_8);
    byte[] last = text.substring(second, trailer).getBytes(StandardCharsets.UTF_8);
    String name = unique("batch.hl7");

    dropRenamed(name, file);

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ARCHIVED");
    List<JsonObject> records = records(job);
    assertThat(records).hasSize(2);
    assertThat(records).extracting(r -> r.getString("controlId")).containsExactly("371784", "612092");
    assertThat(delivered(records.get(0).getString("messageId"))).hasBinaryContent(first);
    assertThat(delivered(records.get(1).getString("messageId"))).hasBinaryContent(last);
    assertThat(new String(first, StandardCharsets.UTF_8)).contains("copied from the MSH segment");
    JsonObject envelope = Json.createReader(new StringReader(engine.get("/api/messages/" + job.getString("id")))).readObject().getJsonObject("message");
    assertThat(envelope.getString("status")).isEqualTo("SPLIT");
    String envelopeText = new String(engine.getBytes("/api/messages/" + job.getString("id") + "/raw"), StandardCharsets.UTF_8);
    assertThat(envelopeText).startsWith("FHS|").contains("\nBHS|").contains("BTS|2\n").endsWith("FTS|1");
  }

  @Test
  void aBatchWhoseCountsDisagreeGoesToTheErrorFolderWithAReportAndItsMessagesStillGoOn() throws IOException {
    String text = new String(TestData.bytes("hl7v2/cdc-prime-reportstream/batch_message.hl7"), StandardCharsets.UTF_8).replace("BTS|2", "BTS|3");
    String name = unique("miscounted.hl7");

    dropRenamed(name, text.getBytes(StandardCharsets.UTF_8));

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ERROR");
    assertThat(job.getString("detail")).contains("BTS-1").contains("3").contains("has 2");
    assertThat(var("error/hl7").resolve(name)).exists();
    assertThat(Files.readString(var("error/hl7").resolve(name + ".report.txt"))).contains("BTS-1").contains("2 stored");
    for (JsonObject record : records(job)) {
      assertThat(delivered(record.getString("messageId"))).exists();
    }
  }

  @Test
  void goodRecordsOfAPartlyBadFileGoOnAndTheReportSaysWhatWasWrongWithEachBadOne() throws IOException {
    String good = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7");
    String broken = "MSH|^~\\&|LAB|FAC|||20240101||ADT^A01|BROKEN1|P|2.5\rthis line is not a segment\r";
    String name = unique("partly-bad.hl7");

    PrometheusScrape before = PrometheusScrape.of(engine);
    dropRenamed(name, ("not a message at all\r" + broken + good).getBytes(StandardCharsets.UTF_8));

    JsonObject job = finished(name);
    PrometheusScrape after = PrometheusScrape.of(engine);
    assertThat(after.value("engine_file_records_total", "channel", "file:hl7", "outcome", "stored")
        - before.value("engine_file_records_total", "channel", "file:hl7", "outcome", "stored")).isEqualTo(1);
    assertThat(after.value("engine_file_records_total", "channel", "file:hl7", "outcome", "rejected")
        - before.value("engine_file_records_total", "channel", "file:hl7", "outcome", "rejected")).isEqualTo(2);
    assertThat(job.getString("status")).isEqualTo("ERROR");
    assertThat(job.getInt("recordsRead")).isEqualTo(3);
    assertThat(job.getInt("recordsStored")).isEqualTo(1);
    assertThat(job.getInt("recordsFailed")).isEqualTo(2);
    List<JsonObject> records = records(job);
    assertThat(records).extracting(r -> r.getString("status")).startsWith("REJECTED", "REJECTED");
    assertThat(records.get(2).getString("status")).isNotEqualTo("REJECTED");
    assertThat(delivered(records.get(2).getString("messageId"))).hasContent(good);
    String report = Files.readString(var("error/hl7").resolve(name + ".report.txt"));
    assertThat(report).contains("Record 1: rejected").contains("Not an HL7v2 message");
    assertThat(report).contains("Record 2 (control id BROKEN1): rejected").contains("Segment 2 does not start with a segment id");
    assertThat(report).doesNotContain("Record 3");
  }

  @Test
  void aBinaryFileGoesToTheErrorFolderWithAReportAndNothingOfItIsRouted() throws IOException {
    byte[] binary = new byte[4096];
    new java.util.Random(7).nextBytes(binary);
    binary[100] = 0;
    String name = unique("scan.pdf");

    dropRenamed(name, binary);

    JsonObject job = finished(name);
    assertThat(job.getString("status")).isEqualTo("ERROR");
    assertThat(job.getInt("recordsRead")).isZero();
    assertThat(var("error/hl7").resolve(name)).hasBinaryContent(binary);
    assertThat(Files.readString(var("error/hl7").resolve(name + ".report.txt"))).contains("Binary file");
    JsonObject envelope = Json.createReader(new StringReader(engine.get("/api/messages/" + job.getString("id")))).readObject().getJsonObject("message");
    assertThat(envelope.getString("status")).isEqualTo("REJECTED");
    assertThat(engine.getBytes("/api/messages/" + job.getString("id") + "/raw")).isEqualTo(binary);
  }

  @Test
  void namesStartingWithADotAreLeftAlone() throws IOException {
    Path hidden = var("in/hl7").resolve("." + unique("being-written.hl7"));
    Files.write(hidden, TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));
    String name = unique("after.hl7");

    dropRenamed(name, TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7"));

    finished(name);
    // the file dropped after it was taken and done: the watcher has passed the hidden one several times
    assertThat(hidden).exists();
    Files.delete(hidden);
  }

  @Test
  void aJobThatFailedIsRestartedFromTheApiOnceTheCauseIsGone() throws Exception {
    // a channel whose conformance profile is missing lets nothing in unchecked: the job fails
    String channel = "it-restart-" + UUID.randomUUID().toString().substring(0, 8);
    engine.define("channels", channel, "type", "folder", "directory", channel, "stableMillis", "0", "profiles", "no-such-profile.xml");
    Path in = engine.var().resolve("in").resolve(channel);
    await().atMost(DONE).until(() -> Files.isDirectory(in));
    byte[] file = TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    String name = unique("restart.hl7");
    Path temp = in.resolve("." + name);
    Files.write(temp, file);
    Files.move(temp, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);

    JsonObject failed = finished(name);
    assertThat(failed.getString("status")).isEqualTo("FAILED");
    // the file's row says FAILED before the batch runtime has committed its own status: await that one
    failed = await().atMost(DONE).ignoreExceptions().until(() -> job(name).orElseThrow(), j -> !j.getString("batchStatus").matches("STARTING|STARTED"));
    assertThat(failed.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(engine.var().resolve("work").resolve(channel).resolve(failed.getString("id") + "_" + name)).exists();

    // the cause gone (a profile that exists, for another message type), the job is restarted from the API
    engine.asadmin("set", "resources.custom-resource.engine/channels/" + channel + ".property.profiles=profiles/ADT_A31.xml");
    await().atMost(DONE).until(() -> Json.createReader(new StringReader(engine.get("/api/channels"))).readArray().getValuesAs(JsonObject.class).stream()
        .anyMatch(c -> c.getString("name").equals(channel) && c.getBoolean("valid")));
    HttpResponse<String> restarted = engine.post("/api/jobs/" + failed.getString("id") + "/restart", "application/json", new byte[0]);
    assertThat(restarted.statusCode()).isEqualTo(202);

    JsonObject done = finished(name);
    assertThat(done.getString("status")).isEqualTo("ARCHIVED");
    assertThat(done.getInt("recordsStored")).isEqualTo(1);
    assertThat(engine.var().resolve("archive").resolve(channel).resolve(name)).hasBinaryContent(file);
    // only a failed job can be restarted
    assertThat(engine.post("/api/jobs/" + done.getString("id") + "/restart", "application/json", new byte[0]).statusCode()).isEqualTo(409);
    engine.removeDefinition("channels", channel);
  }

  // --- helpers

  private static String unique(String name) {
    return UUID.randomUUID().toString().substring(0, 8) + "-" + name;
  }

  private static Path var(String folder) {
    return engine.var().resolve(folder);
  }

  /** As a careful sender does: written under a name starting with a dot, then renamed into the folder. */
  private static void dropRenamed(String name, byte[] content) throws IOException {
    Path temp = var("in/hl7").resolve("." + name);
    Files.write(temp, content);
    Files.move(temp, var("in/hl7").resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static Optional<JsonObject> job(String fileName) {
    JsonArray jobs = Json.createReader(new StringReader(engine.get("/api/jobs?limit=1000"))).readArray();
    return jobs.getValuesAs(JsonObject.class).stream().filter(j -> j.getString("file").equals(fileName)).findFirst();
  }

  /** The file's job once it is no longer running. */
  private static JsonObject finished(String fileName) {
    return await().atMost(DONE).ignoreExceptions().until(() -> job(fileName), j -> j.isPresent() && !"RUNNING".equals(j.get().getString("status"))).get();
  }

  private static List<JsonObject> records(JsonObject job) {
    return Json.createReader(new StringReader(engine.get("/api/jobs/" + job.getString("id") + "/records"))).readArray().getValuesAs(JsonObject.class);
  }

  /** The file the test destination wrote for a message, once it is there. */
  private static Path delivered(String messageId) {
    Path folder = engine.outDir().resolve(DESTINATION);
    return await().atMost(DONE).until(() -> {
      if (!Files.isDirectory(folder)) {
        return Optional.<Path>empty();
      }
      try (Stream<Path> files = Files.list(folder)) {
        return files.filter(f -> f.getFileName().toString().endsWith("_" + messageId + ".hl7")).findFirst();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Optional::isPresent).get();
  }
}
