package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.HL7Exception;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Er7StructureTest {

  static Stream<Path> malformed() throws IOException, URISyntaxException {
    Path root = Path.of(Er7StructureTest.class.getResource("/testdata/hl7v2/nhapi-BadInputs").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("NoException")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void everyFuzzedInputNHapiRejectsFailsTheStructureCheck(Path input) throws IOException {
    String text = Hl7Reader.normalize(new String(Files.readAllBytes(input), StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Er7Structure.check(text)).isInstanceOf(HL7Exception.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7",
    "hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7",
    "hl7v2/microsoft-fhir-converter/ADT01-23.hl7",
    "hl7v2/microsoft-fhir-converter/ADT01-28.hl7",
    "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7",
    "hl7v2/microsoft-fhir-converter/SIU-S12-01.hl7",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt"
  })
  void realSamplesPass(String path) {
    String text = Hl7Reader.normalize(TestData.text(path));
    assertThatCode(() -> Er7Structure.check(text)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    // custom but valid delimiters, a Z-segment, the v2.7 truncation character
    "MSH^~|\\&^A^B^C^D^20240101^^ADT~A01^1^P^2.4\rZNT^1\r",
    "MSH|^~\\&#|A|B|C|D|20240101||ADT^A01|1|P|2.7\rPID|1\r",
    "MSH|^~\\}|A|B|C|D|20240101||ACK|1|P|2.3\rMSA|AA|1\r"
  })
  void unusualButValidMessagesPass(String text) {
    assertThatCode(() -> Er7Structure.check(text)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "MSH|^~\\&|A|B|C|D|20240101||ADT^A01||P|2.5\r",
    "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|3.0\r",
    "MSH|^~\\&|A|B|C|D|20240101||^A01|1|P|2.5\r",
    "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rpid|1\r",
  })
  void missingRequiredHeaderFieldsOrBadSegmentsFail(String text) {
    assertThatThrownBy(() -> Er7Structure.check(text)).isInstanceOf(HL7Exception.class);
  }
}
