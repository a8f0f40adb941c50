package io.integrationengine.conversion.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import io.integrationengine.conversion.fhir.er7.SegmentedMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * Microsoft FHIR-Converter's own FHIR to HL7v2 test (ObservationBundle.json and the ORU it
 * expects): the fields both give agree. Where they differ on purpose: MSH-12 is 2.5.1 here (2.5
 * there), OBX-6 carries the UCUM code with the unit text ({@code mmol/L^mmol/l^UCUM}, there {@code
 * mmol/l}), and OBR-3 stays empty for results outside any DiagnosticReport (there the Observation's
 * own identifier, which is not an order number). The sample's Encounter entry lacks its {@code
 * resource} wrapper (R5-style {@code class}); HAPI's lenient parser skips it.
 */
class MicrosoftFhirToHl7v2Test {

  private static String resource(String path) throws Exception {
    return Files.readString(
            Path.of(MicrosoftFhirToHl7v2Test.class.getResource("/" + path).toURI()),
            StandardCharsets.UTF_8)
        .replace("\uFEFF", "");
  }

  private static Er7Segment segment(SegmentedMessage message, String name) {
    return message.segments().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theObservationBundleGivesTheOruMicrosoftExpects() throws Exception {
    Bundle bundle =
        FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(
                Bundle.class, resource("fhir/microsoft-fhir-converter/ObservationBundle.json"));
    SegmentedMessage ours =
        SegmentedMessage.parse(new FhirToHl7v2Converter().convert(bundle, Hl7v2Event.ORU_R01));
    SegmentedMessage expected =
        SegmentedMessage.parse(
            resource(
                "expected/microsoft-fhir-converter/fhir-to-hl7v2/ObservationBundle-expected.hl7"));

    for (int component = 1; component <= 2; component++) {
      assertThat(segment(ours, "MSH").value(9, component))
          .isEqualTo(segment(expected, "MSH").value(9, component));
    }
    assertThat(segment(ours, "PID").value(3, 1)).isEqualTo(segment(expected, "PID").value(3, 1));
    Er7Segment obx = segment(ours, "OBX");
    Er7Segment theirs = segment(expected, "OBX");
    for (int component = 1; component <= 3; component++) {
      assertThat(obx.value(3, component)).isEqualTo(theirs.value(3, component));
    }
    assertThat(obx.value(5)).isEqualTo(theirs.value(5));
    assertThat(obx.value(6, 2)).isEqualTo(theirs.value(6, 1));
    assertThat(obx.value(6, 1)).isEqualTo("mmol/L");
    for (int field : new int[] {7, 8, 11}) {
      assertThat(obx.value(field)).as("OBX-" + field).isEqualTo(theirs.value(field));
    }
  }
}
