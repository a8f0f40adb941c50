package io.integrationengine.services.processing.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.TestData;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldTransformerTest {

  private static final String ADT_A01 = TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
  private static final String ORU = TestData.text("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7");

  /** Lookup tables from a map, as the engine's JNDI tables would answer. */
  private static final class MapLookupTables implements LookupTables {

    private final Map<String, Map<String, String>> tables;

    MapLookupTables(Map<String, Map<String, String>> tables) {
      this.tables = tables;
    }

    @Override
    public boolean exists(String table) {
      return tables.containsKey(table);
    }

    @Override
    public Optional<String> lookup(String table, String key) {
      return Optional.ofNullable(tables.getOrDefault(table, Map.of()).get(key));
    }
  }

  private static final LookupTables TABLES = new MapLookupTables(Map.of(
      "sex", Map.of("M", "male", "F", "female"),
      "loinc", Map.of("11156-7", "6690-2", "11273-0", "789-8", "20509-6", "718-7"),
      "codes", Map.of("11156-7^LEUKOCYTES^LN", "6690-2^WBC^LN")));

  @Test
  void namesAreTheConfigurationNames() {
    assertThat(List.of(new SetFieldTransformer(), new CopyFieldTransformer(), new ClearFieldTransformer(), new MapFieldTransformer(), new VersionTransformer()))
        .extracting(Transformer::name)
        .containsExactly("set", "copy", "clear", "map", "version");
  }

  @Test
  void setWritesTheValueAndKeepsEverythingElse() throws TransformException {
    Content result = apply(new SetFieldTransformer(), List.of("PV1-2", "I"), er7(ADT_A01));

    assertThat(result.type()).isEqualTo(ContentType.HL7V2_ER7);
    assertThat(result.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(result.text()).isEqualTo(ADT_A01.replace("\nPV1|1|P|", "\nPV1|1|I|"));
  }

  @Test
  void setEscapesDelimitersAndCreatesWhatIsMissing() throws TransformException {
    Content result = apply(new SetFieldTransformer(), List.of("ZPI-1.2", "A|B^C"), er7(ADT_A01));

    assertThat(result.text()).isEqualTo(ADT_A01 + "ZPI|^A\\F\\B\\S\\C\n");
    assertThat(read(result, "ZPI-1.2")).containsExactly("A|B^C");
  }

  @Test
  void setKeepsTheContentsCharset() throws TransformException {
    String text = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||||FR|8859/1\rPID|1||||Désiré^Zoé\r";
    Content latin1 = new Content(text.getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1);

    Content result = apply(new SetFieldTransformer(), List.of("PID-8", "F"), latin1);

    assertThat(result.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(result.bytes()).isEqualTo((text.replace("Zoé\r", "Zoé|||F\r")).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void setRefusesAValueTheCharsetCannotHold() {
    Content ascii = new Content(ORU.getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_ER7, StandardCharsets.US_ASCII);
    // the sample's BOM is not ASCII either, so use a message without one
    Content plain = new Content(ADT_A01.getBytes(StandardCharsets.US_ASCII), ContentType.HL7V2_ER7, StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> apply(new SetFieldTransformer(), List.of("PID-5.1", "Noël"), plain))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("message MSG00001")
        .hasMessageContaining("US-ASCII")
        .hasMessageContaining("'ë' (U+00EB)");
    assertThatThrownBy(() -> apply(new SetFieldTransformer(), List.of("PID-8", "F"), ascii))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("not valid US-ASCII");
  }

  @Test
  void fieldTransformsWorkOnEr7Only() {
    Content xml = new Content("<ADT_A01/>".getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_XML, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> apply(new SetFieldTransformer(), List.of("PID-8", "F"), xml))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("set(PID-8, F) works on HL7V2_ER7 content; this content is HL7V2_XML");
    assertThatThrownBy(() -> apply(new ClearFieldTransformer(), List.of("PID-8"), xml)).hasMessageContaining("HL7V2_XML");
    assertThatThrownBy(() -> apply(new VersionTransformer(), List.of("2.5"), xml)).hasMessageContaining("HL7V2_XML");
    assertThatThrownBy(() -> apply(new SetFieldTransformer(), List.of("PID-8", "F"), er7("this is not HL7")))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("not an ER7 message");
  }

  @Test
  void wrongArgumentsFailWhenTheRouteIsRead() {
    assertThatThrownBy(() -> new SetFieldTransformer().prepare(List.of("PID-8"), TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set expects (path, value), got 1 argument");
    assertThatThrownBy(() -> new SetFieldTransformer().prepare(List.of("PID-0", "x"), TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("set: 'PID-0' is not a field path");
    assertThatThrownBy(() -> new SetFieldTransformer().prepare(List.of("MSH-2", "x"), TABLES)).hasMessageContaining("delimiters");
    assertThatThrownBy(() -> new SetFieldTransformer().prepare(List.of("PID", "x"), TABLES)).hasMessageContaining("whole segment");
    assertThatThrownBy(() -> new CopyFieldTransformer().prepare(List.of("PID-3", "PID-2", "PID-4"), TABLES))
        .hasMessage("copy expects (from, to), got 3 arguments");
    assertThatThrownBy(() -> new ClearFieldTransformer().prepare(List.of(), TABLES)).hasMessage("clear expects (path), got 0 arguments");
    assertThatThrownBy(() -> new MapFieldTransformer().prepare(List.of("PID-8"), TABLES))
        .hasMessage("map expects (path, table) or (path, table, default), got 1 argument");
    assertThatThrownBy(() -> new VersionTransformer().prepare(List.of("3.0"), TABLES)).hasMessageContaining("'3.0' is not an HL7 version");
  }

  @Test
  void setFailsForASegmentThatCannotBeAdded() throws TransformException {
    TransformStep step = new SetFieldTransformer().prepare(List.of("OBX(12)-5", "x"), TABLES);

    assertThatThrownBy(() -> step.apply(er7(ORU)))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("set(OBX(12)-5, x) failed for message 182")
        .hasMessageContaining("the message has 10 OBX segment(s)");
  }

  @Test
  void clearEmptiesTheFieldAndKeepsItsDelimiters() throws TransformException {
    Content result = apply(new ClearFieldTransformer(), List.of("PID-3"), er7(ORU));

    assertThat(result.text()).isEqualTo(ORU.replace("|10006579^^^1^MR^1|", "||"));
  }

  @Test
  void clearOfEverySegment() throws TransformException {
    Content result = apply(new ClearFieldTransformer(), List.of("OBX(*)-5"), er7(ORU));

    assertThat(read(result, "OBX-5")).isEmpty();
    assertThat(read(result, "OBX-6")).as("the next field is untouched").contains("tera.l-1", "%", "giga.l-1");
    assertThat(Er7Message.parse(result.text()).segmentCount("OBX")).isEqualTo(10);
  }

  @Test
  void copyWritesTheFirstValueOfTheSource() throws TransformException {
    Content result = apply(new CopyFieldTransformer(), List.of("PID-3.1", "PID-2"), er7(ORU));

    assertThat(read(result, "PID-2")).containsExactly("10006579");
    assertThat(result.text()).isEqualTo(ORU.replace("PID|1||10006579", "PID|1|10006579|10006579"));
  }

  @Test
  void copyOfAWholeFieldKeepsItsComponents() throws TransformException {
    Content asWritten = apply(new CopyFieldTransformer(), List.of("PID-5", "NK1-2"), er7(ORU));
    assertThat(asWritten.text()).endsWith("\nNK1||DUCK^DONALD^D");
    assertThat(read(asWritten, "NK1-2.2")).containsExactly("DONALD");

    Content intoComponent = apply(new CopyFieldTransformer(), List.of("PID-5", "NK1-2.1"), er7(ORU));
    assertThat(read(intoComponent, "NK1-2.1")).containsExactly("DUCK^DONALD^D");
    assertThat(read(intoComponent, "NK1-2.2")).isEmpty();

    Content escapes = apply(new CopyFieldTransformer(), List.of("PV1-14", "PV1-15"), er7(ADT_A01));
    assertThat(read(escapes, "PV1-15")).containsExactly("NHS Provider-General (inc.A\\T\\E-this Hosp)");
    assertThat(read(escapes, "PV1-15.1")).containsExactly("NHS Provider-General (inc.A&E-this Hosp)");
  }

  @Test
  void copyOfAnEmptySourceClearsTheTarget() throws TransformException {
    Content result = apply(new CopyFieldTransformer(), List.of("PID-2", "PID-8"), er7(ORU));

    assertThat(read(result, "PID-8")).isEmpty();
    assertThat(result.text()).isEqualTo(ORU.replace("|19241010|M|", "|19241010||"));
  }

  @Test
  void mapReplacesTheValueFromTheTable() throws TransformException {
    Content result = apply(new MapFieldTransformer(), List.of("PID-8", "sex"), er7(ADT_A01));

    assertThat(read(result, "PID-8")).containsExactly("male");
  }

  @Test
  void mapOfEveryRepetitionInEverySegment() throws TransformException {
    Content result = apply(new MapFieldTransformer(), List.of("OBX(*)-3.1", "loinc", "UNMAPPED"), er7(ORU));

    assertThat(read(result, "OBX-3.1")).startsWith("6690-2", "789-8", "718-7", "UNMAPPED").hasSize(10);
    assertThat(read(result, "OBX-3.2")).as("other components stay").startsWith("LEUKOCYTES", "ERYTHROCYTES");
  }

  @Test
  void mapOfAWholeFieldMatchesAndWritesItAsWritten() throws TransformException {
    Content result = apply(new MapFieldTransformer(), List.of("OBX-3", "codes"), er7(ORU));

    assertThat(result.text()).isEqualTo(ORU.replace("OBX|1|NM|11156-7^LEUKOCYTES^LN|", "OBX|1|NM|6690-2^WBC^LN|"));
  }

  @Test
  void aKeyTheTableLacksFailsUnlessThereIsADefault() throws TransformException {
    TransformStep noDefault = new MapFieldTransformer().prepare(List.of("OBX(4)-3.1", "loinc"), TABLES);
    assertThatThrownBy(() -> noDefault.apply(er7(ORU)))
        .isInstanceOf(TransformException.class)
        .hasMessageContaining("lookup table 'loinc' has no entry for '20570-8'")
        .hasMessageContaining("OBX(4)-3(1).1")
        .hasMessageContaining("message 182");

    Content withDefault = apply(new MapFieldTransformer(), List.of("OBX(4)-3.1", "loinc", "UNKNOWN"), er7(ORU));
    assertThat(read(withDefault, "OBX(4)-3.1")).containsExactly("UNKNOWN");
  }

  @Test
  void emptyValuesAreNotLookedUp() throws TransformException {
    Content result = apply(new MapFieldTransformer(), List.of("PID-2", "sex"), er7(ORU));

    assertThat(result.text()).isEqualTo(ORU);
  }

  @Test
  void anUnknownTableMakesTheRouteInvalid() {
    assertThatThrownBy(() -> new MapFieldTransformer().prepare(List.of("PID-8", "gender"), TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no lookup table 'gender'");
  }

  @Test
  void versionSetsMsh12Only() throws TransformException {
    Content result = apply(new VersionTransformer(), List.of("2.5"), er7(ADT_A01));

    assertThat(read(result, "MSH-12")).containsExactly("2.5");
    assertThat(result.text()).isEqualTo(ADT_A01.replaceFirst("\\|P\\|2\\.8\\|", "|P|2.5|"));
  }

  private static Content apply(Transformer transformer, List<String> arguments, Content input) throws TransformException {
    return transformer.prepare(arguments, TABLES).apply(input);
  }

  private static Content er7(String text) {
    return er7(text, StandardCharsets.UTF_8);
  }

  private static Content er7(String text, Charset charset) {
    return new Content(text.getBytes(charset), ContentType.HL7V2_ER7, charset);
  }

  private static List<String> read(Content content, String path) {
    return Er7Message.parse(content.text()).values(FieldPath.parse(path));
  }
}
