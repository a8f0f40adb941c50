package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ACK written from the header's text is the ACK HAPI builds (apart from MSH-7, the time, and
 * MSH-10, a new id), for every HL7v2 sample of the test data and for header variants around the
 * rules it follows (versions before and from 2.5, missing fields, other delimiters); where it
 * declines, HAPI answers.
 */
class AcceptAckTest {

  private static final String ADT = TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
  private final Hl7Reader reader = new Hl7Reader();

  static Stream<String> samples() throws IOException, URISyntaxException {
    Path root = Path.of(AcceptAckTest.class.getResource("/testdata/hl7v2").toURI());
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".xml")).sorted().toList()) {
        texts.add(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return texts.stream();
  }

  static Stream<String> variants() {
    String msh = ADT.substring(0, ADT.indexOf('\r') < 0 ? ADT.indexOf('\n') : ADT.indexOf('\r'));
    String rest = ADT.substring(msh.length());
    List<String> headers = new ArrayList<>();
    for (String version : List.of("2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8", "2.8.1", "2.9", "9.9", "")) {
      headers.add(withField(msh, 12, version));
    }
    headers.add(withField(msh, 9, "ADT"));
    headers.add(withField(withField(msh, 9, "ADT"), 12, "2.4"));
    headers.add(withField(msh, 11, ""));
    headers.add(withField(msh, 10, ""));
    headers.add(withField(msh, 3, ""));
    headers.add(withField(msh, 3, "LAB^1.2.840.1^ISO"));
    headers.add(withField(msh, 4, "HOSP~OTHER"));
    headers.add(withField(msh, 5, "A\\T\\B"));
    headers.add(withField(msh, 6, "FAC&SUB"));
    headers.add(withField(msh, 3, "LAB "));
    headers.add(msh.substring(0, 12) + "||||||||||||||");
    headers.add("MSH|^~\\&|");
    headers.add(msh.replace('|', '#'));
    headers.add(msh.replace("|^~\\&|", "|^~\\&#|"));
    return headers.stream().map(h -> h + rest);
  }

  private static String withField(String msh, int n, String value) {
    List<String> parts = new ArrayList<>(List.of(msh.split("\\|", -1)));
    while (parts.size() < n) {
      parts.add("");
    }
    parts.set(n - 1, value);
    return String.join("|", parts);
  }

  @ParameterizedTest
  @MethodSource({"samples", "variants"})
  void isHapisAckWhereItAnswers(String incoming) {
    String plain = AcceptAck.of(incoming, "AA", "ACK00000000000000001", ZonedDateTime.now());
    String hapi = hapi(incoming, AcknowledgmentCode.AA);
    if (plain != null && hapi != null) {
      assertThat(masked(plain)).isEqualTo(masked(hapi));
      assertThat(plain.split("\r")[0].split(Pattern.quote(String.valueOf(plain.charAt(3))))[6]).matches("\\d{14}\\.\\d{3}[+-]\\d{4}");
    }
  }

  @Test
  void answersEverySampleHapiAnswers() throws IOException, URISyntaxException {
    List<String> answeredByHapi = samples().filter(s -> hapi(s, AcknowledgmentCode.AA) != null).toList();
    assertThat(answeredByHapi).hasSizeGreaterThanOrEqualTo(9);
    assertThat(answeredByHapi).allSatisfy(s -> assertThat(AcceptAck.of(s, "AA", "X", ZonedDateTime.now())).isNotNull());
  }

  @Test
  void answersAHeaderWithoutTriggerEventThatHapiCannotTake() {
    String msh = ADT.substring(0, ADT.indexOf('\r') < 0 ? ADT.indexOf('\n') : ADT.indexOf('\r'));
    String incoming = withField(withField(msh, 9, "ADT"), 12, "2.4") + ADT.substring(msh.length());
    assertThat(hapi(incoming, AcknowledgmentCode.AA)).isNull();
    assertThat(AcceptAck.of(incoming, "AA", "ACK1", ZonedDateTime.now())).contains("||ACK|ACK1|P|2.4\rMSA|AA|MSG00001\r");
  }

  @Test
  void declinesWhatHapiMustRead() {
    String msh = ADT.substring(0, ADT.indexOf('\r') < 0 ? ADT.indexOf('\n') : ADT.indexOf('\r'));
    assertThat(AcceptAck.of(withField(msh, 5, "A\\T\\B"), "AA", "X", ZonedDateTime.now())).isNull();
    assertThat(AcceptAck.of(withField(msh, 12, "9.9"), "AA", "X", ZonedDateTime.now())).isNull();
    assertThat(AcceptAck.of("FHS|^~\\&|", "AA", "X", ZonedDateTime.now())).isNull();
  }

  @Test
  void enhancedModeAnswersCa() {
    assertThat(AcceptAck.of(ADT, "CA", "X", ZonedDateTime.now())).contains("\rMSA|CA|MSG00001\r");
  }

  private String hapi(String incoming, AcknowledgmentCode code) {
    try {
      return reader.encode(reader.headerOnly(incoming).generateACK(code, null));
    } catch (HL7Exception | IOException | RuntimeException e) {
      return null;
    }
  }

  /** MSH-7 and MSH-10 replaced: the time and the new id differ by design. */
  private static String masked(String ack) {
    String[] segments = ack.split("\r", -1);
    String fs = String.valueOf(segments[0].charAt(3));
    String[] fields = segments[0].split(Pattern.quote(fs), -1);
    fields[6] = "TIME";
    fields[9] = "ID";
    segments[0] = String.join(fs, fields);
    return String.join("\r", segments);
  }
}
