package io.integrationengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredMessageCodecTest {

  @Test
  void aMessageReadBackHasEveryColumnAndItsBytesUnchanged() throws IOException {
    byte[] content = "MSH|^~\\&|LAB|H|ENG|H|20261129||ADT^A01|C1|P|2.5\rPID|1||42\r\u00e9\u0000".getBytes(StandardCharsets.ISO_8859_1);
    StoredMessage m = StoredMessage.received(content, ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1, "mllp:default", "127.0.0.1:4242");
    m.describe(List.of(new MessageAttribute(Attributes.MESSAGE_TYPE, "ADT^A01"), new MessageAttribute(Attributes.CONTROL_ID, "C1"),
        new MessageAttribute(Attributes.PATIENT_ID, "42"), new MessageAttribute(Attributes.PATIENT_ID, "Ünïcödé")));
    m.traceWith("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    StoredMessage back = StoredMessageCodec.decode(StoredMessageCodec.encode(m));

    assertThat(back).usingRecursiveComparison().isEqualTo(m);
    assertThat(back.getContent()).isEqualTo(content);
    assertThat(back.getReceivedAt()).isEqualTo(m.getReceivedAt());
  }

  @Test
  void nullColumnsAndARecordOfAFileStayAsTheyWere() throws IOException {
    StoredMessage m = StoredMessage.received(new byte[0], ContentType.BINARY, null, "file:hl7", null).childOf("parent-id", 7);

    StoredMessage back = StoredMessageCodec.decode(StoredMessageCodec.encode(m));

    assertThat(back).usingRecursiveComparison().isEqualTo(m);
    assertThat(back.getCharset()).isNull();
    assertThat(back.getRecordNumber()).isEqualTo(7L);
  }

  @Test
  void bytesOfAnotherVersionAreRefused() {
    byte[] record = StoredMessageCodec.encode(StoredMessage.received(new byte[] {1}, ContentType.BINARY, null, "test", null));
    record[0] = 99;

    assertThatThrownBy(() -> StoredMessageCodec.decode(record)).isInstanceOf(IOException.class).hasMessageContaining("version 99");
  }
}
