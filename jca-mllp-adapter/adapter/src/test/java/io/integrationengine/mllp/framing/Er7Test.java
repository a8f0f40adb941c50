package io.integrationengine.mllp.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Er7Test {

  @Test
  void lineEndingsBecomeCarriageReturnsAndTheBomGoes() {
    assertThat(Er7.withCarriageReturns("\uFEFFMSH|^~\\&|A\r\nPID|1\nPV1|1\r")).isEqualTo("MSH|^~\\&|A\rPID|1\rPV1|1\r");
    assertThat(Er7.withCarriageReturns("MSH|^~\\&|A\rPID|1")).isEqualTo("MSH|^~\\&|A\rPID|1");
  }

  @Test
  void bytesKeepEverythingButLineEndings() {
    byte[] in = "\uFEFFMSH|^~\\&|A\r\nPID|1||M\u00fcller\n".getBytes(StandardCharsets.UTF_8);
    byte[] out = Er7.withCarriageReturns(in);
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("MSH|^~\\&|A\rPID|1||M\u00fcller\r");
    byte[] latin1 = "MSH|^~\\&|A\rPID|1||M\u00fcller\r".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Er7.withCarriageReturns(latin1)).isSameAs(latin1);
  }

  @Test
  void headerFieldsUseHl7Numbering() {
    Er7.Header msh = Er7.header("MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ORU^R01^ORU_R01|CTRL1|P|2.5.1\rPID|1\r");
    assertThat(msh.field(1)).isEqualTo("|");
    assertThat(msh.field(2)).isEqualTo("^~\\&");
    assertThat(msh.field(3)).isEqualTo("LAB");
    assertThat(msh.field(10)).isEqualTo("CTRL1");
    assertThat(msh.component(9, 2)).isEqualTo("R01");
    assertThat(msh.field(30)).isEmpty();
    assertThat(msh.validDelimiters()).isTrue();
  }

  @Test
  void customDelimitersAreRead() {
    Er7.Header msh = Er7.header("MSH#$*@!#LAB#HOSP#####ADT$A01#7#P#2.4\n");
    assertThat(msh.fieldSeparator()).isEqualTo('#');
    assertThat(msh.component(9, 1)).isEqualTo("ADT");
    assertThat(msh.field(10)).isEqualTo("7");
  }

  @Test
  void notAHeader() {
    assertThat(Er7.header("hello")).isNull();
    assertThat(Er7.header("PID|1")).isNull();
  }
}
