package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcknowledgementsTest {

  private final Hl7Reader reader = new Hl7Reader();
  private final Acknowledgements acks = new Acknowledgements(reader);

  @ParameterizedTest
  @ValueSource(strings = {
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7",
    "hl7v2/microsoft-fhir-converter/ADT01-23.hl7",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt"
  })
  void acceptedEchoesTheControlId(String path) throws HL7Exception {
    Message incoming = reader.parse(TestData.text(path));
    Terser ack = new Terser(reader.parse(acks.accepted(TestData.text(path), AcknowledgmentCode.AA)));
    assertThat(ack.get("/MSA-1")).isEqualTo("AA");
    assertThat(ack.get("/MSA-2")).isEqualTo(new Terser(incoming).get("/MSH-10"));
    assertThat(ack.get("/MSH-5")).isEqualTo(new Terser(incoming).get("/MSH-3"));
  }

  @Test
  void enhancedModeAcceptIsCa() throws HL7Exception {
    Terser ack = new Terser(reader.parse(acks.accepted(TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"), AcknowledgmentCode.CA)));
    assertThat(ack.get("/MSA-1")).isEqualTo("CA");
    assertThat(ack.get("/MSA-2")).isEqualTo("MSG00001");
  }

  @Test
  void rejectedCarriesTheReasonInErr() throws HL7Exception {
    String text = acks.rejected(TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"), AcknowledgmentCode.AR, "store down");
    Terser ack = new Terser(reader.parse(text));
    assertThat(ack.get("/MSA-1")).isEqualTo("AR");
    assertThat(ack.get("/MSA-2")).isEqualTo("MSG00001");
    assertThat(text).contains("ERR|").contains("store down");
  }

  @Test
  void unparseableMessageWithReadableHeaderGetsAeForItsControlId() {
    String broken = "MSH|^~\\&|SND|SF|RCV|RF|20240101||ADT^A01|BROKEN1|P|2.5\rPID|1||\\\\\\\rZZZ|\u0000\r";
    HL7Exception error = new HL7Exception("segment ZZZ is not allowed here");
    String text = acks.unparseable(broken, AcknowledgmentCode.AE, error);
    assertThat(text).contains("MSA|AE|BROKEN1").contains("ERR|").contains("segment ZZZ is not allowed here");
  }

  @Test
  void garbageStillGetsAnAckExplainingWhy() {
    String garbage = TestData.text("hl7v2/nodengine-hl7/invalid.hl7");
    HL7Exception error = assertParseFails(garbage);
    String text = acks.unparseable(garbage, AcknowledgmentCode.AE, error);
    assertThat(text).startsWith("MSH|^~\\&|").contains("\rMSA|AE|").contains("\rERR|");
  }

  private HL7Exception assertParseFails(String text) {
    try {
      reader.parse(text);
    } catch (HL7Exception e) {
      return e;
    }
    throw new AssertionError("expected a parse failure");
  }

  @Test
  void aHeaderWithUnusableDelimitersIsAnsweredInStandardDelimiters() {
    // from nHapi's fuzz corpus: a space and a letter among the encoding characters
    String fuzzed = "MSH|^ \\E|0||||20240101||ADT^A40|1||2.4\rEVN|A40\r";

    String text = acks.unparseable(fuzzed, AcknowledgmentCode.AE, new HL7Exception("The message contains the control character 0x10"));

    assertThat(text).startsWith("MSH|^~\\&|").contains("\rMSA|AE|").contains("control character 0x10");
  }
}
