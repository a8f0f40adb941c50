package io.integrationengine.mllp.framing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FallbackAckTest {

  @Test
  void echoesTheControlIdAndSwapsSenderAndReceiver() {
    String ack = FallbackAck.reject("MSH|^~\\&|SND|SF|RCV|RF|20240101||ADT^A01^ADT_A01|CTRL42|P|2.5.1\rPID|1\r", "AR", "store down");
    String[] segments = ack.split("\r");
    assertThat(segments[0]).startsWith("MSH|^~\\&|RCV|RF|SND|SF|").contains("|ACK^A01|").endsWith("|P|2.5.1");
    assertThat(segments[1]).isEqualTo("MSA|AR|CTRL42|store down");
    assertThat(segments[2]).startsWith("ERR|||207^").endsWith("|store down");
  }

  @Test
  void answersEvenGarbageAndKeepsDelimitersOutOfTheReason() {
    String ack = FallbackAck.reject("not hl7 at all", "AR", "bad | input ^ here");
    assertThat(ack).startsWith("MSH|^~\\&|").contains("\rMSA|AR||bad   input   here\r");
  }

  @Test
  void answersInStandardDelimitersWhenTheSendersAreNotDelimiters() {
    String ack = FallbackAck.reject("MSH|0000|||||||000|||2.8\r", "AE", "bad delimiters");
    assertThat(ack).startsWith("MSH|^~\\&|").contains("\rMSA|AE||bad delimiters\r");
  }
}
