package io.integrationengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredMessageTest {

  @Test
  void typeAndControlIdLiveInTheirColumnsAndStillReadAsAttributes() {
    StoredMessage m = StoredMessage.received(new byte[] {'M'}, ContentType.HL7V2_ER7, StandardCharsets.UTF_8, "test", null);

    m.describe(List.of(
        new MessageAttribute(Attributes.MESSAGE_TYPE, "ADT^A01"),
        new MessageAttribute(Attributes.CONTROL_ID, "C1"),
        new MessageAttribute(Attributes.PATIENT_ID, "42"),
        new MessageAttribute(Attributes.PATIENT_ID, "43")));

    assertThat(m.getControlId()).isEqualTo("C1");
    assertThat(m.getMessageType()).isEqualTo("ADT^A01");
    assertThat(m.attribute(Attributes.CONTROL_ID)).containsExactly("C1");
    assertThat(m.firstAttribute(Attributes.MESSAGE_TYPE)).isEqualTo("ADT^A01");
    assertThat(m.attribute(Attributes.PATIENT_ID)).containsExactly("42", "43");
    assertThat(m.getAttributes()).extracting(MessageAttribute::getName)
        .containsExactly(Attributes.MESSAGE_TYPE, Attributes.CONTROL_ID, Attributes.PATIENT_ID, Attributes.PATIENT_ID);
  }

  @Test
  void newMessagesGetIdsThatSortByArrival() {
    StoredMessage first = StoredMessage.received(new byte[] {'M'}, ContentType.BINARY, null, "test", null);
    long made = System.currentTimeMillis();
    await().until(() -> System.currentTimeMillis() > made);
    StoredMessage second = StoredMessage.received(new byte[] {'M'}, ContentType.BINARY, null, "test", null);

    assertThat(first.getId()).isLessThan(second.getId());
  }
}
