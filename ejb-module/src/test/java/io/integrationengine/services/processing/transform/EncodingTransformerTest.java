package io.integrationengine.services.processing.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.TestData;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncodingTransformerTest {

  private static final LookupTables NO_TABLES = new LookupTables() {
    @Override
    public boolean exists(String table) {
      return false;
    }

    @Override
    public Optional<String> lookup(String table, String key) {
      return Optional.empty();
    }
  };

  private static final String MSH = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01^ADT_A01|CTRL1|P|2.5";
  private static final String PID = "PID|1||123^^^HOSP^MR||Désiré^Zoé||19700101|F";

  @Test
  void namesAreTheConfigurationNames() {
    assertThat(List.of(new CharsetTransformer(), new ToXmlTransformer(), new ToEr7Transformer()))
        .extracting(Transformer::name)
        .containsExactly("charset", "toXml", "toEr7");
  }

  @Test
  void charsetReencodesAndDeclaresTheCharsetInMsh18() throws TransformException {
    Content utf8 = er7(MSH + "\r" + PID + "\r", StandardCharsets.UTF_8);
    assertThat(utf8.bytes()).containsSequence(0xC3, 0xA9);

    Content result = apply(new CharsetTransformer(), List.of("ISO-8859-1"), utf8);

    assertThat(result.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(result.type()).isEqualTo(ContentType.HL7V2_ER7);
    assertThat(result.bytes()).containsSequence((byte) 'D', (byte) 0xE9, (byte) 's').doesNotContain((byte) 0xC3);
    String expected = MSH + "||||||8859/1\r" + PID + "\r";
    assertThat(result.bytes()).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void charsetReplacesAnExistingMsh18() throws TransformException {
    Content latin1 = er7(MSH + "|||||FR|8859/1\r" + PID + "\r", StandardCharsets.ISO_8859_1);

    Content result = apply(new CharsetTransformer(), List.of("UTF-8"), latin1);

    assertThat(result.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(new String(result.bytes(), StandardCharsets.UTF_8)).isEqualTo(MSH + "|||||FR|UNICODE UTF-8\r" + PID + "\r");
  }

  @Test
  void charsetLeavesMsh18AloneForACharsetTable0211DoesNotName() throws TransformException {
    Content latin1 = er7(MSH + "|||||FR|8859/1\r" + PID + "\r", StandardCharsets.ISO_8859_1);

    Content result = apply(new CharsetTransformer(), List.of("windows-1252"), latin1);

    assertThat(result.charset().name()).isEqualTo("windows-1252");
    assertThat(new String(result.bytes(), result.charset())).isEqualTo(MSH + "|||||FR|8859/1\r" + PID + "\r");
  }

  @Test
  void charsetDropsTheBomOutsideUtf8() throws TransformException {
    String sample = TestData.text("hl7v2/microsoft-fhir-converter/ADT01-23.hl7");
    assertThat(sample).startsWith("\uFEFF");

    Content result = apply(new CharsetTransformer(), List.of("US-ASCII"), er7(sample, StandardCharsets.UTF_8));

    String text = new String(result.bytes(), StandardCharsets.US_ASCII);
    assertThat(text).startsWith("MSH|^~\\&|AccMgr|");
    assertThat(Er7Message.parse(text).values(FieldPath.parse("MSH-18"))).containsExactly("ASCII");
  }

  @Test
  void aCharacterTheTargetCannotRepresentFailsTheStepNamingIt() {
    Content utf8 = er7(MSH + "\r" + PID.replace("Zoé", "Ωmega 😀") + "\r", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new CharsetTransformer(), List.of("ISO-8859-1"), utf8))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("charset(ISO-8859-1)")
        .hasMessageContaining("message CTRL1")
        .hasMessageContaining("'Ω' (U+03A9)")
        .hasMessageContaining("(U+1F600)")
        .hasMessageNotContaining("U+00E9");
  }

  @Test
  void charsetRewritesTheXmlDeclaration() throws TransformException {
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ADT_A01><PID.5>Zoé</PID.5></ADT_A01>";
    Content content = new Content(xml.getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);

    Content result = apply(new CharsetTransformer(), List.of("ISO-8859-1"), content);

    assertThat(result.bytes()).isEqualTo(xml.replace("UTF-8", "ISO-8859-1").getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void charsetArgumentsAreCheckedWhenTheRouteIsRead() {
    assertThatThrownBy(() -> new CharsetTransformer().prepare(List.of("LATIN-42"), NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'LATIN-42' is not a character set");
    assertThatThrownBy(() -> new CharsetTransformer().prepare(List.of(), NO_TABLES)).hasMessage("charset expects (charset), got 0 arguments");
    assertThatThrownBy(() -> apply(new CharsetTransformer(), List.of("UTF-8"), new Content(new byte[] {1, 2}, ContentType.BINARY, null)))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("BINARY");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7",
    "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7",
    "hl7v2/microsoft-fhir-converter/ORM-O01-01.hl7",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt"
  })
  void toXmlProducesXmlThatHapiReadsBackToTheSameMessage(String sample) throws Exception {
    String er7 = TestData.text(sample);
    Er7Message original = Er7Message.parse(er7);

    Content xml = apply(new ToXmlTransformer(), List.of(), er7(er7, StandardCharsets.UTF_8));

    assertThat(xml.type()).isEqualTo(ContentType.HL7V2_XML);
    assertThat(xml.charset()).isEqualTo(StandardCharsets.UTF_8);
    String text = new String(xml.bytes(), StandardCharsets.UTF_8);
    assertThat(text).contains("<MSH.10>" + original.first(FieldPath.parse("MSH-10")).orElseThrow() + "</MSH.10>");
    try (HapiContext hapi = new DefaultHapiContext(new GenericModelClassFactory())) {
      hapi.setValidationContext(ValidationContextFactory.noValidation());
      Message parsed = hapi.getXMLParser().parse(text);
      Terser terser = new Terser(parsed);
      assertThat(terser.get("/MSH-10")).isEqualTo(original.first(FieldPath.parse("MSH-10")).orElseThrow());
      assertThat(terser.get("/MSH-9-1")).isEqualTo(original.first(FieldPath.parse("MSH-9.1")).orElseThrow());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7",
    "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7",
    "hl7v2/microsoft-fhir-converter/ORM-O01-01.hl7",
    "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt"
  })
  void toEr7ReversesToXml(String sample) throws TransformException {
    Er7Message original = Er7Message.parse(TestData.text(sample));
    Content xml = apply(new ToXmlTransformer(), List.of(), er7(TestData.text(sample), StandardCharsets.UTF_8));

    Content back = apply(new ToEr7Transformer(), List.of(), xml);

    assertThat(back.type()).isEqualTo(ContentType.HL7V2_ER7);
    Er7Message roundTripped = Er7Message.parse(new String(back.bytes(), StandardCharsets.UTF_8));
    for (String path : List.of("MSH-9", "MSH-10", "MSH-12.1", "PID-3(*).1", "PID-3(*).4",
        "PID-5(*).1", "PID-5(*).2", "PID-5(*).15", "PID-7.1", "PID-8", "PV1-2", "OBX(*)-3.1", "OBX(*)-5(*).1")) {
      assertThat(roundTripped.values(FieldPath.parse(path))).as(path).isEqualTo(original.values(FieldPath.parse(path)));
    }
  }

  @Test
  void contentHapisXmlCannotHoldIsReportedByPositionOnly() throws TransformException {
    Logger log = Logger.getLogger(ToXmlTransformer.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try {
      // v2.8 PID-2 is withdrawn; the sample still fills it with a CX, which HAPI's XML encoder cuts to its first component
      apply(new ToXmlTransformer(), List.of(), er7(TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"), StandardCharsets.UTF_8));
      apply(new ToXmlTransformer(), List.of(), er7(MSH + "\r" + PID + "\r", StandardCharsets.UTF_8));
    } finally {
      log.removeHandler(handler);
    }

    assertThat(records).hasSize(1);
    String warning = records.get(0).getMessage();
    assertThat(warning).contains("message MSG00001").contains("first at PID-2").doesNotContain("1234567");
  }

  @Test
  void toEr7KeepsTheCharsetOfItsInput() throws TransformException {
    Content xml = apply(new ToXmlTransformer(), List.of(), er7(MSH + "\r" + PID + "\r", StandardCharsets.UTF_8));
    String latin1Xml = new String(xml.bytes(), StandardCharsets.UTF_8).replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    Content latin1 = new Content(latin1Xml.getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_XML, StandardCharsets.ISO_8859_1);

    Content er7 = apply(new ToEr7Transformer(), List.of(), latin1);

    assertThat(er7.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(er7.bytes()).containsSequence((byte) 'D', (byte) 0xE9, (byte) 's');
    assertThat(Er7Message.parse(new String(er7.bytes(), StandardCharsets.ISO_8859_1)).values(FieldPath.parse("PID-5.2"))).containsExactly("Zoé");
  }

  @Test
  void xmlWithADocumentTypeIsRefused() {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE ADT_A01 [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        + "<ADT_A01 xmlns=\"urn:hl7-org:v2xml\"><MSH><MSH.1>|</MSH.1><MSH.2>^~\\&amp;</MSH.2><MSH.3><HD.1>&xxe;</HD.1></MSH.3>"
        + "<MSH.9><MSG.1>ADT</MSG.1><MSG.2>A01</MSG.2></MSH.9><MSH.10>1</MSH.10><MSH.11><PT.1>P</PT.1></MSH.11>"
        + "<MSH.12><VID.1>2.5</VID.1></MSH.12></MSH></ADT_A01>";
    Content content = new Content(xml.getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new ToEr7Transformer(), List.of(), content))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("toEr7()")
        .hasMessageContaining("<!DOCTYPE>")
        .hasMessageNotContaining("root:");
  }

  @Test
  void conversionsCheckTheContentType() {
    Content xml = new Content("<ADT_A01/>".getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);
    Content er7 = er7(MSH + "\r" + PID + "\r", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new ToXmlTransformer(), List.of(), xml)).isInstanceOf(TransformException.class).hasMessageContaining("this content is HL7V2_XML");
    assertThatThrownBy(() -> apply(new ToEr7Transformer(), List.of(), er7)).isInstanceOf(TransformException.class).hasMessageContaining("this content is HL7V2_ER7");
    assertThatThrownBy(() -> new ToXmlTransformer().prepare(List.of("x"), NO_TABLES)).hasMessage("toXml expects no arguments, got 1 argument");
  }

  @Test
  void toXmlReportsAnUnreadableMessage() {
    Content broken = er7("MSH|^~\\&|A|B|C|D|20240101||ADT^A01||P|2.5\rPID|1\r", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new ToXmlTransformer(), List.of(), broken))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("cannot be converted to XML")
        .hasMessageContaining("MSH-10");
  }

  @Test
  void toEr7ReportsXmlThatIsNotHl7() {
    Content notHl7 = new Content("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new ToEr7Transformer(), List.of(), notHl7))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("toEr7()");
  }

  private static Content apply(Transformer transformer, List<String> arguments, Content input) throws TransformException {
    return transformer.prepare(arguments, NO_TABLES).apply(input);
  }

  private static Content er7(String text, Charset charset) {
    return new Content(text.getBytes(charset), ContentType.HL7V2_ER7, charset);
  }
}
