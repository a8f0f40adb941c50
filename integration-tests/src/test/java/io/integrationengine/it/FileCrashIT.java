package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The file intake's reliability test, in the shape of Mirth's recovery tests: a 20,000-message file
 * and a CSV file of 6,000 rows are dropped, the Payara server is killed with {@code kill -9} while
 * both files' jobs are reading them, {@code ./engine start} brings it back, and then every message
 * of the HL7 file and every row of the CSV file is delivered exactly once. The HL7 file goes to a
 * folder channel of its own, whose route sends its messages (ORU^R01, which no demo route takes:
 * every ADT also goes through toFhir() to the FHIR repository) to a file destination, one file per
 * message, named by control id; the CSV file to the demo channel {@code csv}, whose rows become
 * ORU^R01 messages in {@code out/csv}, named by their control id ({@code <end of the file id>-<row>}).
 */
class FileCrashIT {

  private static final int MESSAGES = 20_000;
  private static final int ROWS = 6_000;
  private static final String CHANNEL = "files-crash";
  private static final String CSV_CHANNEL = "csv";

  @Test
  void aFileBeingReadWhenTheServerIsKilledIsDeliveredExactlyOnceAfterTheRestart() throws Exception {
    EngineUnderTest engine = EngineUnderTest.get();
    engine.defineTogether(() -> {
      if (!engine.get("/api/destinations").contains("\"name\":\"" + CHANNEL + "\"")) {
        engine.define("destinations", CHANNEL, "type", "file", "directory", CHANNEL);
      }
      if (!engine.get("/api/routes").contains("\"name\":\"" + CHANNEL + "\"")) {
        engine.define("routes", CHANNEL, "condition", "@channel = file:" + CHANNEL, "destinations", CHANNEL);
      }
      if (!engine.get("/api/channels").contains("\"name\":\"" + CHANNEL + "\"")) {
        engine.define("channels", CHANNEL, "type", "folder", "directory", CHANNEL);
      }
    });
    Path in = engine.var().resolve("in").resolve(CHANNEL);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(in));
    String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    String name = "crash-" + run + ".hl7";
    Path temp = in.resolve("." + name);
    try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < MESSAGES; i++) {
        String id = String.format("%06d", i);
        out.write("MSH|^~\\&|CRASHTEST|LAB|ENGINE|HOSP|20240101120000||ORU^R01|K" + run + id + "|P|2.5\r\n"
            + "PID|1||P" + run + id + "^^^HOSP^MR||Doe^John||19700101|M\r\n"
            + "OBR|1||S" + id + "|94558-4^SARS-CoV-2 Ag^LN\r\n"
            + "OBX|1|CWE|94558-4^SARS-CoV-2 Ag^LN||260385009^Negative^SCT||||||F\r\n");
      }
    }
    // the CSV file first: its rows cost more to read (each is made an ORU^R01 with HAPI)
    Path csvIn = engine.var().resolve("in").resolve(CSV_CHANNEL);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(csvIn));
    String csvName = "crash-" + run + ".csv";
    Path csvTemp = csvIn.resolve("." + csvName);
    try (BufferedWriter out = Files.newBufferedWriter(csvTemp, StandardCharsets.US_ASCII)) {
      out.write("lab,first_name,last_name,state,test_time,specimen_id,observation\n");
      for (int i = 1; i <= ROWS; i++) {
        out.write("lab" + run + ",Row" + i + ",Crash,FL,2020-10-10T17:42:31+00:00," + (10_000_000 + i) + "," + (i % 2 == 0 ? "covid-19:neg" : "covid-19:pos") + "\n");
      }
    }
    // killed once some chunks of each file are committed and most of each is still to read: the HL7
    // file (read several times as fast) is dropped only once the CSV file's first chunk is in
    Files.move(csvTemp, csvIn.resolve(csvName), StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> read(engine, csvName) >= 1000);
    Files.move(temp, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> read(engine, name) >= 1000);
    JsonObject reading = job(engine, name).orElseThrow();
    assertThat(reading.getString("status")).isEqualTo("RUNNING");
    assertThat(reading.getInt("recordsRead")).isLessThan(MESSAGES);
    JsonObject readingCsv = job(engine, csvName).orElseThrow();
    assertThat(readingCsv.getString("status")).isEqualTo("RUNNING");
    assertThat(readingCsv.getInt("recordsRead")).isLessThan(ROWS);
    long pid = Long.parseLong(Files.readString(engine.domainDir().resolve("config/pid")).strip());
    exec(List.of("kill", "-9", String.valueOf(pid)), Map.of(), 30);
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

    restart(engine);
    // the API checks tokens after a start as after a deployment: once, an application that Payara
    // deployed while the engine was starting (its persistent timer service) left every role unchecked
    assertThat(engine.request("GET", "/api/messages", null, null, null).statusCode()).isEqualTo(401);

    JsonObject done = await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1))
        .until(() -> job(engine, name), j -> j.isPresent() && !"RUNNING".equals(j.get().getString("status"))).get();
    assertThat(done.getString("status")).isEqualTo("ARCHIVED");
    assertThat(done.getInt("recordsRead")).isEqualTo(MESSAGES);
    assertThat(done.getInt("recordsStored")).isEqualTo(MESSAGES);

    Path out = engine.outDir().resolve(CHANNEL);
    String prefix = "K" + run;
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> Files.isDirectory(out) && delivered(out, prefix).size() >= MESSAGES);
    List<String> controlIds = delivered(out, prefix);
    Map<String, Long> copies = controlIds.stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    assertThat(copies).hasSize(MESSAGES);
    assertThat(copies.values()).allMatch(n -> n == 1);
    assertThat(controlIds).hasSize(MESSAGES);

    // every row of the CSV file, once: control ids <last 8 characters of the file id>-1 to -ROWS
    JsonObject csvDone = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> job(engine, csvName), j -> j.isPresent() && !"RUNNING".equals(j.get().getString("status"))).get();
    assertThat(csvDone.getString("status")).isEqualTo("ARCHIVED");
    assertThat(csvDone.getInt("recordsRead")).isEqualTo(ROWS);
    assertThat(csvDone.getInt("recordsStored")).isEqualTo(ROWS);
    String fileId = csvDone.getString("id");
    String rowPrefix = fileId.substring(fileId.length() - 8) + "-";
    Path csvOut = engine.outDir().resolve(CSV_CHANNEL);
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> Files.isDirectory(csvOut) && delivered(csvOut, rowPrefix).size() >= ROWS);
    List<String> rows = delivered(csvOut, rowPrefix);
    assertThat(rows).hasSize(ROWS).doesNotHaveDuplicates();
    assertThat(rows.stream().map(c -> Integer.parseInt(c.substring(rowPrefix.length()))).collect(Collectors.toSet()))
        .hasSize(ROWS).allMatch(row -> row >= 1 && row <= ROWS);
  }

  /** How many records of the file its job has read (0 while there is no job or the server is down). */
  private static int read(EngineUnderTest engine, String fileName) {
    return job(engine, fileName).map(j -> j.getInt("recordsRead")).orElse(0);
  }

  /** {@code ./engine start} on the killed domain, with the ports it had, as an operator would after a crash. */
  private static void restart(EngineUnderTest engine) {
    Map<String, String> state = engine.state();
    Map<String, String> env = new HashMap<>();
    env.put("ENGINE_VAR", engine.var().toString());
    env.put("ENGINE_DOMAIN", state.get("ENGINE_DOMAIN"));
    env.put("ENGINE_PORTBASE", state.get("ENGINE_PORTBASE"));
    env.put("ENGINE_MLLP_PORT", state.get("ENGINE_MLLP_PORT"));
    env.put("ENGINE_MLLP_TLS", state.get("ENGINE_MLLP_TLS"));
    env.put("ENGINE_MLLP_TLS_PORT", state.get("ENGINE_MLLP_TLS_PORT"));
    env.put("ENGINE_DB", state.get("ENGINE_DB"));
    env.put("ENGINE_OTLP_ENDPOINT", state.getOrDefault("ENGINE_OTLP_ENDPOINT", ""));
    env.put("ENGINE_SKIP_BUILD", "true");
    String output = exec(List.of(System.getProperty("engine.script"), "start"), env, 600);
    assertThat(output).contains("Integration engine running");
  }

  private static Optional<JsonObject> job(EngineUnderTest engine, String fileName) {
    try {
      return Json.createReader(new StringReader(engine.get("/api/jobs?limit=50"))).readArray().getValuesAs(JsonObject.class).stream()
          .filter(j -> j.getString("file").equals(fileName)).findFirst();
    } catch (RuntimeException serverDown) {
      return Optional.empty();
    }
  }

  /** Control ids of the delivered files with the prefix (files are named {@code <control id>_<message id>.hl7}). */
  private static List<String> delivered(Path folder, String prefix) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".hl7")).map(n -> n.substring(0, n.indexOf('_'))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String exec(List<String> command, Map<String, String> environment, int seconds) {
    try {
      Path log = Files.createTempFile("file-crash-it", ".log");
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end within " + seconds + " s: " + Files.readString(log));
      }
      String output = Files.readString(log);
      Files.delete(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
