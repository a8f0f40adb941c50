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
import java.util.Properties;
import java.util.stream.Stream;
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
    connector = new SftpDestinationConnector(connections, temp);
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
}
