package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.HL7Exception;
import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.MessageAttribute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Hl7ReaderTest {

  private final Hl7Reader reader = new Hl7Reader();

  @ParameterizedTest
  @CsvSource({
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7, MSG00001, ADT^A01, 2.8, ADTApp",
    "hl7v2/microsoft-fhir-converter/ADT01-23.hl7, 599102, ADT^A01, 2.3, AccMgr",
    "hl7v2/microsoft-fhir-converter/ADT01-28.hl7, MSG00001, ADT^A01, 2.5.1, ADT1",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt, 22139243, ADT^A01, 2.4, system1",
    "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7, 182, ORU^R01, 2.5, ",
  })
  void readsTheHeaderOfRealSamples(String path, String controlId, String type, String version, String sendingApp) throws HL7Exception {
    Hl7Header header = reader.header(TestData.text(path));
    assertThat(header.controlId()).isEqualTo(controlId);
    assertThat(header.messageType()).isEqualTo(type);
    assertThat(header.attributes()).extracting(MessageAttribute::getName, MessageAttribute::getValue).contains(org.assertj.core.groups.Tuple.tuple(Attributes.VERSION, version));
    if (sendingApp != null) {
      assertThat(header.sendingApplication()).isEqualTo(sendingApp);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"this is an invalid message", "", "MSH|"})
  void malformedInputIsAnHl7ExceptionNotACrash(String text) {
    assertThatThrownBy(() -> reader.parse(text)).isInstanceOf(HL7Exception.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r", "\n", "\r\n"})
  void acceptsAnySegmentSeparator(String separator) throws HL7Exception {
    String text = String.join(separator, "MSH|^~\\&|A|B|C|D|20240101||ADT^A08|X1|P|2.5", "EVN|A08|20240101", "PID|1||123^^^H^MR");
    Hl7Header header = reader.header(text);
    assertThat(header.controlId()).isEqualTo("X1");
    assertThat(header.attributes()).extracting(MessageAttribute::getName, MessageAttribute::getValue).contains(
        org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_ID, "123"), org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_IDENTIFIER, "123^^^H"));
  }

  @org.junit.jupiter.api.Test
  void anUnpackagedVersionParsesGenerically() throws HL7Exception {
    reader.parse("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|V27|P|2.7\rPID|1\r");
    Hl7Header header = reader.header("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|V27|P|2.7\rPID|1\r");
    assertThat(header.controlId()).isEqualTo("V27");
    assertThat(header.messageType()).isEqualTo("ADT^A01");
  }

  @org.junit.jupiter.api.Test
  void readsEveryPatientIdentifierAndTheName() throws HL7Exception {
    Hl7Header header = reader.header("MSH|^~\\&|A|B|C|D|20240101||ADT^A08|X1|P|2.5\rPID|1||123^^^HOSP^MR~987^^^SSA^SS||M\u00fcller^Ren\u00e9\r");
    assertThat(header.attributes()).extracting(MessageAttribute::getName, MessageAttribute::getValue).contains(
        org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_ID, "123"),
        org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_ID, "987"),
        org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_IDENTIFIER, "987^^^SSA"),
        org.assertj.core.groups.Tuple.tuple(Attributes.PATIENT_NAME, "M\u00fcller^Ren\u00e9"),
        org.assertj.core.groups.Tuple.tuple(Attributes.RECEIVING_APPLICATION, "C"));
  }
}
