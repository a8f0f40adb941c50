package io.integrationengine.services.output.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class FileNamePatternTest {

  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 27, 23, 5, 9, 0, ZoneOffset.UTC);

  private static OutboundMessage hl7(String text, String controlId) {
    return new OutboundMessage("m-1", controlId, new Content(text.getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1));
  }

  @Test
  void placeholdersAreFilledFromTheMessage() {
    OutboundMessage message = hl7("MSH|^~\\&|LAB|H|EHR|H|20261127||ORU^R01^ORU_R01|CTRL 1/2|P|2.5.1\rPID|1\r", "CTRL 1/2");
    assertThat(FileNamePattern.parse("${messageType}_${controlId}_${date}_${messageId}").resolve(message, "lab-out", NOW))
        .isEqualTo("ORU_R01_CTRL_1_2_20261127_m-1");
    assertThat(FileNamePattern.parse("${date:yyyy-MM-dd}/${destination}-${date:HHmmss}").resolve(message, "lab-out", NOW))
        .isEqualTo("2026-11-27/lab-out-230509");
  }

  @Test
  void theMessageTypeOfOtherContent() {
    Content json = new Content("{\n  \"resourceType\" : \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Patient\"}}]}".getBytes(StandardCharsets.UTF_8),
        ContentType.FHIR_JSON, StandardCharsets.UTF_8);
    assertThat(FileNamePattern.messageType(json)).isEqualTo("Bundle");
    Content xml = new Content("<?xml version=\"1.0\"?><!-- x --><Patient xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_8),
        ContentType.FHIR_XML, StandardCharsets.UTF_8);
    assertThat(FileNamePattern.messageType(xml)).isEqualTo("Patient");
    assertThat(FileNamePattern.messageType(hl7("MSH|^~\\&|A|B|C|D|x||ADT^A01|1|P|2.3\r", "1").content())).isEqualTo("ADT_A01");
    assertThat(FileNamePattern.messageType(hl7("MSH|^~\\&|A|B|C|D|x|||1|P|2.3\r", "1").content())).isEqualTo("message");
  }

  @Test
  void aControlIdCannotClimbOutOfTheFolder() {
    assertThat(FileNamePattern.parse("${controlId}").resolve(hl7("MSH|^~\\&|\r", ".."), "d", NOW)).isEqualTo("__");
    assertThat(FileNamePattern.parse("x/${controlId}").resolve(hl7("MSH|^~\\&|\r", "../../etc/passwd"), "d", NOW)).isEqualTo("x/.._.._etc_passwd");
  }

  @Test
  void badPatternsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> FileNamePattern.parse("${sender}")).hasMessageContaining("unknown placeholder ${sender}");
    assertThatThrownBy(() -> FileNamePattern.parse("../x")).hasMessageContaining("inside");
    assertThatThrownBy(() -> FileNamePattern.parse("/tmp/x")).hasMessageContaining("inside");
    assertThatThrownBy(() -> FileNamePattern.parse("${date:qqqqqqq}")).hasMessageContaining("bad date format");
    assertThatThrownBy(() -> FileNamePattern.parse("${controlId")).hasMessageContaining("unclosed");
  }

  @Test
  void onlyAPatternWithTheMessageIdIsUnique() {
    assertThat(FileNamePattern.parse("a_${messageId}").unique()).isTrue();
    assertThat(FileNamePattern.parse("${controlId}").unique()).isFalse();
  }
}
