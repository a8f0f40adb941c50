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

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    // é and ü in UTF-8 are valid UTF-8
    "UTF-8 ; auto ; UTF-8",
    // é as 0xE9: not UTF-8; the bytes are defined in Windows-1252
    "ISO-8859-1 ; auto ; windows-1252",
    // the euro sign is 0x80 in Windows-1252 only
    "windows-1252 ; auto ; windows-1252",
    // a configured charset wins over detection
    "ISO-8859-1 ; ISO-8859-15 ; ISO-8859-15",
  })
  void resolvesWithoutMsh18(String encodedIn, String configured, String expected) {
    String text = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||123||M\u00fcller^Ren\u00e9" + ("windows-1252".equals(encodedIn) ? "^\u20ac" : "") + "\r";
    byte[] payload = text.getBytes(Charset.forName(encodedIn));
    Charset resolved = Msh18Charsets.resolve(payload, configured);
    assertThat(resolved).isEqualTo(Charset.forName(expected));
    if (!"ISO-8859-15".equals(expected)) {
      assertThat(new String(payload, resolved)).isEqualTo(text);
    }
  }

  @org.junit.jupiter.api.Test
  void aByteUndefinedInWindows1252IsReadAsLatin1() {
    byte[] payload = {'M', 'S', 'H', '|', '^', '~', '\\', '&', '|', (byte) 0x81, '\r'};
    assertThat(Msh18Charsets.resolve(payload, "auto")).isEqualTo(StandardCharsets.ISO_8859_1);
  }

  @org.junit.jupiter.api.Test
  void msh18WinsOverTheListenerSetting() {
    byte[] payload = (PREFIX + "|8859/1|en\rPID|1\r").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Msh18Charsets.resolve(payload, "UTF-8")).isEqualTo(StandardCharsets.ISO_8859_1);
  }
}
