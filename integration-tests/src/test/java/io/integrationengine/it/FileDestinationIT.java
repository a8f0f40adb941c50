package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * File destinations as an analyst configures them: names from a pattern (message type as a
 * sub-folder, the control id as the name), and HL7 batch files closed when full or when their
 * window has passed. Only messages whose MSH-3 is this test's take these routes.
 */
class FileDestinationIT {

  private static final String SENDER = "FDESTIT";
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static EngineUnderTest engine;
  /** This run's folders: a test run again on the same engine starts from empty ones. */
  private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  @BeforeAll
  static void defineRoutes() {
    engine = EngineUnderTest.get();
    engine.defineTogether(() -> {
      engine.define("destinations", "fdit-named", "type", "file", "directory", "fdit-named-" + RUN, "fileName", "${messageType}/${controlId}");
      engine.define("destinations", "fdit-batch", "type", "file", "directory", "fdit-batch-" + RUN, "batchSize", "3", "batchWindowSeconds", "4");
      engine.define("routes", "fdit", "condition", "@sendingApplication = " + SENDER, "destinations", "fdit-named, fdit-batch");
    });
  }

  @AfterAll
  static void removeRoutes() {
    engine.removeDefinition("routes", "fdit");
  }

  private static byte[] send(String controlId) throws IOException {
    String text = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    String[] msh = text.substring(0, text.indexOf('\r')).split("\\|", -1);
    msh[2] = SENDER;
    msh[9] = controlId;
    byte[] message = (String.join("|", msh) + text.substring(text.indexOf('\r'))).getBytes(StandardCharsets.UTF_8);
    assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message)).contains("MSA|AA|" + controlId);
    return message;
  }

  private static List<Path> batchFiles() {
    Path dir = engine.outDir().resolve("fdit-batch-" + RUN);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void messagesAreNamedByPatternAndCollectedIntoBatchFiles() throws Exception {
    List<String> controlIds = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      controlIds.add("FD" + RUN + i);
      sent.add(send(controlIds.get(i)));
    }

    for (int i = 0; i < 4; i++) {
      Path named = engine.outDir().resolve("fdit-named-" + RUN + "/ADT_A01/" + controlIds.get(i) + ".hl7");
      await().atMost(DELIVERY).until(() -> Files.exists(named));
      assertThat(Files.readAllBytes(named)).isEqualTo(sent.get(i));
    }

    // three messages fill a batch; the fourth's batch is closed by its 4 s window
    await().atMost(DELIVERY).until(() -> batchFiles().size() == 2);
    StringBuilder all = new StringBuilder();
    List<String> trailers = new ArrayList<>();
    for (Path batch : batchFiles()) {
      String text = Files.readString(batch, StandardCharsets.UTF_8);
      assertThat(text).startsWith("FHS|^~\\&|INTEGRATION-ENGINE||fdit-batch||");
      assertThat(text.split("\r")[1]).startsWith("BHS|");
      trailers.add(text.substring(text.indexOf("\rBTS|") + 1));
      all.append(text);
    }
    assertThat(trailers).containsExactlyInAnyOrder("BTS|3\rFTS|1\r", "BTS|1\rFTS|1\r");
    for (int i = 0; i < 4; i++) {
      String message = new String(sent.get(i), StandardCharsets.UTF_8);
      assertThat(all.toString()).contains(message.endsWith("\r") ? message : message + "\r");
      assertThat(all.toString().split("\\|" + controlIds.get(i) + "\\|", -1)).as("message %d in one batch, once", i).hasSize(2);
    }
  }
}
