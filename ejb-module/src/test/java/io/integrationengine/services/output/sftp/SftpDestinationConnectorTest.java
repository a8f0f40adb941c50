package io.integrationengine.services.output.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.sftp.SftpConnections;
import io.integrationengine.core.sftp.SftpTestServer;
import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.OutboundMessage;
import io.integrationengine.services.output.PermanentDeliveryFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sftp destination against a real SFTP server (Apache MINA SSHD's). */
class SftpDestinationConnectorTest {

  private static final byte[] MESSAGE = "MSH|^~\\&|LAB|HOSP|ENGINE|HOSP|20240101120000||ADT^A01|C/1|P|2.5\rPID|1||1^^^HOSP^MR||M\u00fcller\r"
      .getBytes(StandardCharsets.ISO_8859_1);

  @TempDir
  Path temp;

  private SftpTestServer server;
  private SftpConnections connections;
  private SftpDestinationConnector connector;

  @BeforeEach
  void start() throws IOException {
    server = new SftpTestServer(Files.createDirectories(temp.resolve("server")), temp.resolve("host.key"));
    connections = new SftpConnections(alias -> alias.equals("lab-sftp") ? SftpTestServer.PASSWORD : alias.equals("wrong") ? "nope" : null);
    connector = new SftpDestinationConnector(connections, temp, temp.resolve("out"));
  }

  @AfterEach
  void stop() throws IOException {
    connections.stop();
    server.close();
  }

  private DestinationDefinition destination(String... keyValues) {
    Properties p = new Properties();
    p.setProperty("type", "sftp");
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", String.valueOf(server.port()));
    p.setProperty("user", SftpTestServer.USER);
    p.setProperty("passwordAlias", "lab-sftp");
    p.setProperty("hostKeyFingerprint", server.fingerprint());
    p.setProperty("directory", "/inbox/adt");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return DestinationDefinition.from("lab-out", p);
  }

  private static OutboundMessage message(String id) {
    return new OutboundMessage(id, "C/1", new Content(MESSAGE, ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1));
  }

  private Path folder() {
    return server.root().resolve("inbox/adt");
  }

  @Test
  void writesTheBytesUnderTheFileDestinationsNameCreatingTheFolder() throws Exception {
    String target = connector.deliver(message("m1"), destination());
    assertThat(target).isEqualTo("sftp://engine@127.0.0.1:" + server.port() + "/inbox/adt/C_1_m1.hl7");
    assertThat(folder().resolve("C_1_m1.hl7")).hasBinaryContent(MESSAGE);

    // delivered again (the first answer was lost): one file, the same bytes; the session is reused
    connector.deliver(message("m1"), destination());
    connector.deliver(message("m2"), destination("extension", "txt"));
    try (Stream<Path> files = Files.list(folder())) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("C_1_m1.hl7", "C_1_m2.txt");
    }
  }

  @Test
  void aServerThatIsDownIsRetriedAndTheSessionOpenedAgain() throws Exception {
    connector.deliver(message("m1"), destination());
    server.stop();
    assertThatThrownBy(() -> connector.deliver(message("m2"), destination())).isInstanceOf(IOException.class)
        .hasMessageContaining("destination 'lab-out' (sftp engine@127.0.0.1:" + server.port());
    server.start();
    connector.deliver(message("m2"), destination());
    assertThat(folder().resolve("C_1_m2.hl7")).hasBinaryContent(MESSAGE);
  }

  @Test
  void anUntrustedHostKeyRefusedCredentialsOrAMissingSettingAreDeadLettered() {
    assertThatThrownBy(() -> connector.deliver(message("m1"), destination("hostKeyFingerprint", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("destination 'lab-out' (sftp) (engine@127.0.0.1:" + server.port() + "): host key refused");
    assertThatThrownBy(() -> connector.deliver(message("m1"), destination("passwordAlias", "wrong")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("refused the credentials of user 'engine'");
    assertThatThrownBy(() -> connector.deliver(message("m1"), destination("directory", " ")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessage("destination 'lab-out' (sftp) has no 'directory'");
    assertThat(folder()).doesNotExist();
  }

  // --- HL7 batch files

  private static String text(String id) {
    return new String(message(id).content().bytes(), StandardCharsets.ISO_8859_1);
  }

  private List<String> onServer() throws IOException {
    if (!Files.isDirectory(folder())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private Path staging() {
    return temp.resolve("out/.sftp/lab-out");
  }

  @Test
  void aBatchIsBuiltLocallyAndUploadedWholeOnceClosed() throws Exception {
    DestinationDefinition batches = destination("batchSize", "2", "fileName", "${destination}/batch_${messageId}");
    String target = connector.deliver(message("m1"), batches);
    assertThat(target).isEqualTo("sftp://engine@127.0.0.1:" + server.port() + "/inbox/adt/lab-out_batch_m1.hl7");
    assertThat(connector.uploadBatches(batches)).isEmpty();
    assertThat(onServer()).isEmpty();

    connector.deliver(message("m2"), batches); // the batch is full: closed
    connector.deliver(message("m3"), batches); // the next one opens
    assertThat(connector.deliver(message("m2"), batches)).isEqualTo(target); // redelivered: in its batch once
    assertThat(connector.uploadBatches(batches)).containsExactly("/inbox/adt/lab-out_batch_m1.hl7");
    assertThat(onServer()).containsExactly("lab-out_batch_m1.hl7");
    String batch = Files.readString(folder().resolve("lab-out_batch_m1.hl7"), StandardCharsets.ISO_8859_1);
    assertThat(batch).startsWith("FHS|^~\\&|INTEGRATION-ENGINE||lab-out||").contains("\rBHS|").contains(text("m1") + text("m2")).endsWith("BTS|2\rFTS|1\r");
    assertThat(batch.split("MSH\\|", -1)).hasSize(3);
    try (Stream<Path> local = Files.list(staging())) {
      assertThat(local.map(f -> f.getFileName().toString())).noneMatch(n -> !n.startsWith(".") || n.endsWith(".renaming"));
    }

    // the window of the second batch passes: the timer closes and uploads it
    DestinationDefinition due = destination("batchSize", "2", "batchWindowSeconds", "1", "fileName", "${destination}/batch_${messageId}");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      connector.closeAndUploadBatches(List.of(due), Runnable::run);
      return onServer().contains("lab-out_batch_m3.hl7");
    });
    assertThat(Files.readString(folder().resolve("lab-out_batch_m3.hl7"), StandardCharsets.ISO_8859_1)).contains(text("m3")).endsWith("BTS|1\rFTS|1\r");
    assertThat(onServer()).containsExactly("lab-out_batch_m1.hl7", "lab-out_batch_m3.hl7");
  }

  @Test
  void aBatchWaitsLocallyWhileTheServerIsDownAndAFhirMessageIsRefused() throws Exception {
    DestinationDefinition batches = destination("batchSize", "1");
    server.stop();
    String target = connector.deliver(message("m1"), batches);
    assertThat(target).startsWith("sftp://engine@127.0.0.1:" + server.port() + "/inbox/adt/batch_").endsWith("_m1.hl7");
    assertThat(connector.uploadBatches(batches)).isEmpty();
    String name = target.substring(target.lastIndexOf('/') + 1);
    assertThat(staging().resolve(name)).exists();
    server.start();
    assertThat(connector.uploadBatches(batches)).containsExactly("/inbox/adt/" + name);
    assertThat(folder().resolve(name)).content(StandardCharsets.ISO_8859_1).contains(text("m1"));
    assertThat(staging().resolve(name)).doesNotExist();

    OutboundMessage fhir = new OutboundMessage("f1", null, new Content("{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> connector.deliver(fhir, batches)).isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("writes HL7 batch files");
  }

  @Test
  void anUploadStoppedAtAnyStepPutsTheBatchOnTheServerOnce() throws Exception {
    DestinationDefinition batches = destination("batchSize", "1", "fileName", "b_${messageId}");
    Files.createDirectories(folder());

    // stopped while writing the temporary file: written again, whole
    connector.deliver(message("m1"), batches);
    Files.writeString(folder().resolve(".b_m1.hl7.tmp"), "FHS|half");
    assertThat(connector.uploadBatches(batches)).containsExactly("/inbox/adt/b_m1.hl7");
    assertThat(folder().resolve("b_m1.hl7")).content(StandardCharsets.ISO_8859_1).startsWith("FHS|").contains(text("m1")).endsWith("FTS|1\r");

    // stopped after the local mark, before the rename on the server: renamed now
    connector.deliver(message("m2"), batches);
    Files.copy(staging().resolve("b_m2.hl7"), folder().resolve(".b_m2.hl7.tmp"));
    Files.move(staging().resolve("b_m2.hl7"), staging().resolve(".b_m2.hl7.renaming"));
    assertThat(connector.uploadBatches(batches)).containsExactly("/inbox/adt/b_m2.hl7");
    assertThat(folder().resolve("b_m2.hl7")).content(StandardCharsets.ISO_8859_1).contains(text("m2"));

    // stopped after the rename, before the mark was removed; a reader has taken the file meanwhile: not sent again
    connector.deliver(message("m3"), batches);
    Files.move(staging().resolve("b_m3.hl7"), staging().resolve(".b_m3.hl7.renaming"));
    assertThat(connector.uploadBatches(batches)).isEmpty();
    assertThat(staging().resolve(".b_m3.hl7.renaming")).doesNotExist();
    assertThat(onServer()).containsExactly("b_m1.hl7", "b_m2.hl7");

    // another file on the server has the batch's name: it is kept, the batch gets a name of its own
    Files.writeString(folder().resolve("b_m4.hl7"), "someone else's");
    connector.deliver(message("m4"), batches);
    List<String> uploaded = connector.uploadBatches(batches);
    assertThat(uploaded).hasSize(1).allMatch(p -> p.startsWith("/inbox/adt/b_m4_") && p.endsWith(".hl7"));
    assertThat(folder().resolve("b_m4.hl7")).hasContent("someone else's");
    assertThat(server.root().resolve(uploaded.get(0).substring(1))).content(StandardCharsets.ISO_8859_1).contains(text("m4"));
    try (Stream<Path> left = Files.list(folder())) {
      assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }
}
