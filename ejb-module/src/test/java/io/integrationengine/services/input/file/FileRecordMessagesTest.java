package io.integrationengine.services.input.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.services.input.ChannelRegistry;
import io.integrationengine.services.input.Hl7Reader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FileRecordMessagesTest {

  private static final Path IN = Path.of("/var/engine/in");
  private final MapDefinitionSource definitions = new MapDefinitionSource();
  private final FolderChannel channel = new FolderChannel("hl7", IN.resolve("hl7"), Duration.ofSeconds(2), "auto", 1000, true);

  private FileRecordMessages messages() {
    return new FileRecordMessages(new Hl7Reader(), new ChannelRegistry(definitions, Path.of("target/test-classes/testdata")));
  }

  private static List<FileRecord> records(String sample) throws IOException {
    List<FileRecord> all = new ArrayList<>();
    try (InputStream in = FileRecordMessagesTest.class.getResourceAsStream("/testdata/" + sample)) {
      Hl7FileSplitter splitter = new Hl7FileSplitter(new ByteArrayInputStream(in.readAllBytes()), 0, 1);
      FileRecord r;
      while ((r = splitter.next()) != null) {
        all.add(r);
      }
    }
    return all;
  }

  @Test
  void aRecordOfARealBatchBecomesAMessageOfItsFileWithItsBytesAndAttributes() throws IOException {
    List<FileRecord> records = records("hl7v2/cdc-prime-reportstream/batch_message_msh_in_obx.hl7").stream().filter(r -> r.kind() == FileRecord.Kind.MESSAGE).toList();

    StoredMessage first = messages().message(records.get(0), channel, "file-1", "batch.hl7");

    assertThat(records).hasSize(2);
    assertThat(first.getStatus()).isEqualTo(MessageStatus.RECEIVED);
    assertThat(first.getContent()).isEqualTo(records.get(0).bytes());
    assertThat(first.getParentId()).isEqualTo("file-1");
    assertThat(first.getRecordNumber()).isEqualTo(1L);
    assertThat(first.getChannel()).isEqualTo("file:hl7");
    assertThat(first.getRemoteAddress()).isEqualTo("batch.hl7");
    assertThat(first.getMessageType()).isEqualTo("ORU^R01");
    assertThat(first.getControlId()).isEqualTo("371784");
  }

  @Test
  void strayTextAndUnreadableMessagesAreRejectedWithTheReason() throws IOException {
    byte[] file = "not hl7\nMSH|^~\\&|A|B|||2024||ADT^A01|X1|P|2.5\nthis is no segment\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Hl7FileSplitter splitter = new Hl7FileSplitter(new ByteArrayInputStream(file), 0, 1);
    StoredMessage stray = messages().message(splitter.next(), channel, "f", "bad.hl7");
    StoredMessage broken = messages().message(splitter.next(), channel, "f", "bad.hl7");

    assertThat(stray.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(stray.getStatusDetail()).startsWith("Not an HL7v2 message");
    assertThat(broken.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(broken.getControlId()).isEqualTo("X1");
    assertThat(broken.getStatusDetail()).contains("Segment 2");
    assertThat(broken.getRecordNumber()).isEqualTo(2L);
  }

  @Test
  void aChannelWhoseProfileIsMissingLetsNothingInUnchecked() throws IOException {
    definitions.define("channels", "hl7", "type", "folder", "profiles", "no-such-profile.xml");
    FileRecord record = records("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").get(0);

    assertThatThrownBy(() -> messages().message(record, channel, "f", "adt.hl7")).isInstanceOf(IllegalStateException.class).hasMessageContaining("misconfigured");
  }

  @Test
  void folderChannelDefinitionsAreCheckedAndATypoIsAnError() {
    Properties p = new Properties();
    p.setProperty("type", "folder");
    assertThat(FolderChannel.isFolder(p)).isTrue();
    FolderChannel defaults = FolderChannel.from("lab", p, IN);
    assertThat(defaults.directory()).isEqualTo(IN.resolve("lab"));
    assertThat(defaults.stableTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.chunkSize()).isEqualTo(1000);
    assertThat(defaults.label()).isEqualTo("file:lab");

    p.setProperty("stableMillis", "soon");
    assertThatThrownBy(() -> FolderChannel.from("lab", p, IN)).hasMessageContaining("stableMillis");
    p.setProperty("stableMillis", "500");
    p.setProperty("enabled", "yes");
    assertThatThrownBy(() -> FolderChannel.from("lab", p, IN)).hasMessageContaining("enabled");
    p.setProperty("enabled", "false");
    p.setProperty("charset", "klingon-8");
    assertThatThrownBy(() -> FolderChannel.from("lab", p, IN)).hasMessageContaining("charset");
    p.setProperty("charset", "ISO-8859-1");
    p.setProperty("directory", "/data/drop");
    assertThat(FolderChannel.from("lab", p, IN).directory()).isEqualTo(Path.of("/data/drop"));

    Properties mllp = new Properties();
    mllp.setProperty("profiles", "x.xml");
    assertThat(FolderChannel.isFolder(mllp)).isFalse();
  }
}
