package io.integrationengine.mllp.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Msh18CharsetsTest {

  private static final String PREFIX = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||||";

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "8859/1 ; ISO-8859-1",
    "UNICODE UTF-8 ; UTF-8",
    "unicode utf-8 ; UTF-8",
    "ASCII ; US-ASCII",
    "8859/15 ; ISO-8859-15",
    "UNICODE UTF-8~8859/1 ; UTF-8",
    "NOT A CHARSET ; windows-1252",
    "'' ; windows-1252",
  })
  void readsMsh18(String msh18, String expected) {
    byte[] payload = (PREFIX + "|" + msh18 + "|en\rPID|1\r").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Msh18Charsets.detect(payload, Charset.forName("windows-1252"))).isEqualTo(Charset.forName(expected));
  }

  @org.junit.jupiter.api.Test
  void aShortHeaderFallsBack() {
    byte[] payload = "MSH|^~\\&|A|B\rPID|1\r".getBytes(StandardCharsets.US_ASCII);
    assertThat(Msh18Charsets.detect(payload, StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
  }
}
