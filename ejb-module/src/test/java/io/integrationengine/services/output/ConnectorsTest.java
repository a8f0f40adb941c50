package io.integrationengine.services.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpConnectionFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.naming.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorsTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  @TempDir
  Path out;

  private static DestinationDefinition destination(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return DestinationDefinition.from("dest", p);
  }

  @Test
  void aFileGetsExactlyTheBytes() throws Exception {
    byte[] bytes = "MSH|^~\\&|A\nPID|1||1||M\u00fcller^\u20ac\n".getBytes(WINDOWS_1252);
    String target = new FileDestinationConnector(out).deliver(new OutboundMessage("id1", "C/1", new Content(bytes, ContentType.HL7V2_ER7, WINDOWS_1252)),
        destination("type", "file", "directory", "adt"));

    assertThat(Path.of(target)).hasFileName("C_1_id1.hl7");
    assertThat(Files.readAllBytes(Path.of(target))).isEqualTo(bytes);
    assertThat(Files.list(out.resolve("adt"))).hasSize(1);
  }

  @Test
  void theFileExtensionFollowsTheContentTypeUnlessSet() throws Exception {
    Content xml = new Content("<ADT_A01/>".getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);
    assertThat(new FileDestinationConnector(out).deliver(new OutboundMessage("id2", null, xml), destination("type", "file", "directory", "x"))).endsWith("id2.xml");
    assertThat(new FileDestinationConnector(out).deliver(new OutboundMessage("id3", null, xml), destination("type", "file", "directory", "x", "extension", "txt")))
        .endsWith("id3.txt");
  }

  @Test
  void aFileDestinationWithoutDirectoryFailsForGood() {
    assertThatThrownBy(() -> new FileDestinationConnector(out).deliver(new OutboundMessage("id", null, new Content(new byte[0], ContentType.BINARY, null)),
        destination("type", "file"))).isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("directory");
  }

  @Test
  void aNamePatternWithoutTheMessageIdNeverOverwritesAnotherMessage() throws Exception {
    FileDestinationConnector files = new FileDestinationConnector(out);
    DestinationDefinition byControlId = destination("type", "file", "directory", "lab", "fileName", "${messageType}_${controlId}");
    byte[] first = "MSH|^~\\&|LAB|H|EHR|H|20261127||ORU^R01|C1|P|2.5.1\rOBX|1|ST|X||first\r".getBytes(StandardCharsets.US_ASCII);
    byte[] second = "MSH|^~\\&|LAB|H|EHR|H|20261127||ORU^R01|C1|P|2.5.1\rOBX|1|ST|X||second\r".getBytes(StandardCharsets.US_ASCII);

    String a = files.deliver(new OutboundMessage("m1", "C1", new Content(first, ContentType.HL7V2_ER7, StandardCharsets.US_ASCII)), byControlId);
    String again = files.deliver(new OutboundMessage("m1", "C1", new Content(first, ContentType.HL7V2_ER7, StandardCharsets.US_ASCII)), byControlId);
    String b = files.deliver(new OutboundMessage("m2", "C1", new Content(second, ContentType.HL7V2_ER7, StandardCharsets.US_ASCII)), byControlId);

    assertThat(Path.of(a)).hasFileName("ORU_R01_C1.hl7");
    assertThat(again).isEqualTo(a);
    assertThat(Path.of(b)).hasFileName("ORU_R01_C1_m2.hl7");
    assertThat(Files.readAllBytes(Path.of(a))).isEqualTo(first);
    assertThat(Files.readAllBytes(Path.of(b))).isEqualTo(second);
    try (var listed = Files.list(out.resolve("lab"))) {
      assertThat(listed).hasSize(2);
    }
  }

  @Test
  void aBatchDestinationTakesOnlyHl7v2AndABadPatternFailsForGood() {
    Content json = new Content("{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new FileDestinationConnector(out).deliver(new OutboundMessage("id", null, json),
        destination("type", "file", "directory", "b", "batchSize", "10"))).isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("HL7 batch");
    assertThatThrownBy(() -> new FileDestinationConnector(out).deliver(new OutboundMessage("id", null, json),
        destination("type", "file", "directory", "b", "fileName", "${patient}"))).isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("${patient}");
  }

  /** An MLLP factory that answers every send with a fixed ACK code and keeps the bytes. */
  static final class AnsweringFactory implements MllpConnectionFactory {
    final List<byte[]> sent = new ArrayList<>();
    final String code;

    AnsweringFactory(String code) {
      this.code = code;
    }

    @Override
    public MllpConnection getConnection(String host, int port) {
      return new MllpConnection() {
        @Override
        public MllpAck send(String message) {
          throw new UnsupportedOperationException("the connector sends bytes");
        }

        @Override
        public MllpAck send(byte[] message) {
          sent.add(message);
          return new MllpAck(code, "C1", code.equals("AA") ? "" : "unknown patient", "");
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void setReference(Reference reference) {}

    @Override
    public Reference getReference() {
      return null;
    }
  }

  @Test
  void mllpSendsTheBytesWithCarriageReturnsAndJudgesTheAck() throws Exception {
    AnsweringFactory receiver = new AnsweringFactory("AA");
    MllpDestinationConnector connector = new MllpDestinationConnector(name -> receiver);
    byte[] bytes = "MSH|^~\\&|A\r\nPID|1||1||Ren\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

    String where = connector.deliver(new OutboundMessage("id", "C1", new Content(bytes, ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1)),
        destination("type", "mllp", "host", "lab", "port", "2575"));

    assertThat(where).isEqualTo("mllp://lab:2575 AA");
    assertThat(receiver.sent.get(0)).isEqualTo("MSH|^~\\&|A\rPID|1||1||Ren\u00e9\r".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void mllpAnAeIsPermanentUnlessTheDestinationSaysRetry() {
    Content content = new Content("MSH|^~\\&|A\r".getBytes(StandardCharsets.US_ASCII), ContentType.HL7V2_ER7, StandardCharsets.US_ASCII);
    MllpDestinationConnector connector = new MllpDestinationConnector(name -> new AnsweringFactory("AE"));

    assertThatThrownBy(() -> connector.deliver(new OutboundMessage("id", "C1", content), destination("type", "mllp", "host", "h", "port", "1")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("unknown patient");
    assertThatThrownBy(() -> connector.deliver(new OutboundMessage("id", "C1", content), destination("type", "mllp", "host", "h", "port", "1", "onError", "retry")))
        .isNotInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("answered AE");
  }

  @Test
  void mllpRefusesContentThatIsNotEr7() {
    Content xml = new Content("<ADT_A01/>".getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);
    MllpDestinationConnector connector = new MllpDestinationConnector(name -> new AnsweringFactory("AA"));

    assertThatThrownBy(() -> connector.deliver(new OutboundMessage("id", "C1", xml), destination("type", "mllp", "host", "h", "port", "1")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("HL7V2_XML");
  }
}
