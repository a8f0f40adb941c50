package io.integrationengine.mllp.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.mllp.api.MllpAck;
import org.junit.jupiter.api.Test;

class AckReaderTest {

  @Test
  void readsCodeControlIdAndErrorText() {
    MllpAck ack = AckReader.read("MSH|^~\\&|R|RF|S|SF|20240101||ACK^A01^ACK|9|P|2.5\rMSA|AE|CTRL1|bad PID\rERR|||207^Application internal error^HL70357|E||||PID-3 missing\r");
    assertThat(ack.code()).isEqualTo("AE");
    assertThat(ack.controlId()).isEqualTo("CTRL1");
    assertThat(ack.text()).isEqualTo("bad PID; PID-3 missing");
    assertThat(ack.accepted()).isFalse();
    assertThat(ack.rejected()).isFalse();
  }

  @Test
  void readsHapisErrorTextFromErr3() {
    MllpAck ack = AckReader.read("MSH|^~\\&|R|RF|S|SF|20240101||ACK^O01^ACK|9|P|2.6\rMSA|AE|C2\rERR|||207^Application internal error^HL70357^^^^^^lab refuses this order|E\r");
    assertThat(ack.text()).isEqualTo("lab refuses this order");
  }

  @Test
  void acceptsLineFeedsAndEnhancedCodes() {
    MllpAck ack = AckReader.read("MSH|^~\\&|R|RF|S|SF|20240101||ACK|9|P|2.5\nMSA|CA|X\n");
    assertThat(ack.accepted()).isTrue();
    assertThat(ack.controlId()).isEqualTo("X");
  }

  @Test
  void somethingWithoutMsaIsNoAck() {
    assertThat(AckReader.read("MSH|^~\\&|R|RF|S|SF|20240101||ADT^A01|9|P|2.5\rPID|1\r")).isNull();
    assertThat(AckReader.read("garbage")).isNull();
  }

  @Test
  void readsTheControlIdOfAMessage() {
    assertThat(AckReader.controlId("\uFEFFMSH|^~\\&|A|B|C|D|20240101||ADT^A01|ID42|P|2.5\nPID|1")).isEqualTo("ID42");
    assertThat(AckReader.controlId("PID|1")).isNull();
  }
}
