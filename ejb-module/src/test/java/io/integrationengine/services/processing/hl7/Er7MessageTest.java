package io.integrationengine.services.processing.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.services.input.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Er7MessageTest {

  private static final String ADT_A01 = "hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7";
  private static final String ORU = "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7";
  private static final String HAPI_ADT = "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt";

  static Stream<String> samples() throws IOException, URISyntaxException {
    Path root = Path.of(Er7MessageTest.class.getResource("/testdata/hl7v2/microsoft-fhir-converter").toURI());
    try (Stream<Path> files = Files.list(root)) {
      List<String> names = files.map(f -> "hl7v2/microsoft-fhir-converter/" + f.getFileName()).sorted().toList();
      assertThat(names).hasSizeGreaterThanOrEqualTo(7);
      return Stream.concat(names.stream(), Stream.of(HAPI_ADT));
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void anUnchangedMessageEncodesToTheSameBytes(String sample) throws IOException {
    byte[] original = bytes(sample);
    Er7Message message = Er7Message.parse(new String(original, StandardCharsets.UTF_8));

    assertThat(message.encode().getBytes(StandardCharsets.UTF_8)).isEqualTo(original);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void readingDoesNotChangeTheText(String sample) {
    String text = TestData.text(sample);
    Er7Message message = Er7Message.parse(text);
    message.values(FieldPath.parse("PID-3(*).1"));
    message.values(FieldPath.parse("MSH-10"));
    message.positions(FieldPath.parse("OBX(*)-5(*)"));

    assertThat(message.encode()).isEqualTo(text);
  }

  @Test
  void valuesOfCommonPaths() {
    Er7Message adt = Er7Message.parse(TestData.text(ADT_A01));
    assertThat(adt.values(FieldPath.parse("PID-8"))).containsExactly("M");
    assertThat(adt.values(FieldPath.parse("PID-3(*).1"))).containsExactly("PATID1234", "123456789");
    assertThat(adt.values(FieldPath.parse("PID-3.1"))).as("no repetition reads every repetition").containsExactly("PATID1234", "123456789");
    assertThat(adt.values(FieldPath.parse("PID-3(2).4"))).containsExactly("USSSA");
    assertThat(adt.values(FieldPath.parse("PID-3(1).4.2"))).containsExactly("2.16.1");
    assertThat(adt.values(FieldPath.parse("PID-3(3).1"))).isEmpty();
    assertThat(adt.values(FieldPath.parse("MSH-9.1"))).containsExactly("ADT");
    assertThat(adt.values(FieldPath.parse("MSH-9.3"))).containsExactly("ADT_A01");
    assertThat(adt.values(FieldPath.parse("MSH-1"))).containsExactly("|");
    assertThat(adt.values(FieldPath.parse("MSH-2"))).containsExactly("^~\\&");
    assertThat(adt.values(FieldPath.parse("MSH-3"))).containsExactly("ADTApp");
    assertThat(adt.values(FieldPath.parse("MSH-10"))).containsExactly("MSG00001");
    assertThat(adt.first(FieldPath.parse("MSH-12"))).contains("2.8");
    assertThat(adt.values(FieldPath.parse("ZZZ-1"))).isEmpty();
    assertThat(adt.first(FieldPath.parse("PID-99"))).isEmpty();
  }

  @Test
  void segmentIndexesSelectOneSegmentAndNoIndexSelectsAll() {
    Er7Message oru = Er7Message.parse(TestData.text(ORU));
    assertThat(oru.segmentCount("OBX")).isEqualTo(10);
    assertThat(oru.values(FieldPath.parse("OBX(2)-3.1"))).containsExactly("11273-0");
    assertThat(oru.values(FieldPath.parse("OBX(7)-3.2"))).containsExactly("EOSINOPHILS/100 LEUKOCYTES");
    assertThat(oru.values(FieldPath.parse("OBX-3.1"))).hasSize(10).startsWith("11156-7", "11273-0").endsWith("30180-4");
    assertThat(oru.values(FieldPath.parse("OBX(*)-5"))).as("empty OBX-5 are left out").containsExactly("4.06", "40.1", "221", "72", "2", "20", "6", "0");
    assertThat(oru.values(FieldPath.parse("OBX(11)-3"))).isEmpty();
  }

  @Test
  void aWholeFieldReadsAsWrittenAndAComponentDecoded() {
    Er7Message adt = Er7Message.parse(TestData.text(ADT_A01));
    assertThat(adt.values(FieldPath.parse("PV1-14"))).containsExactly("NHS Provider-General (inc.A\\T\\E-this Hosp)");
    assertThat(adt.values(FieldPath.parse("PV1-14.1"))).containsExactly("NHS Provider-General (inc.A&E-this Hosp)");
    assertThat(adt.values(FieldPath.parse("PID-5(1)"))).containsExactly("EVERYMAN&&&&Aniston^ADAM^A^III^Dr.^MD^D^^^19241012^^^^PF^Addsm");
  }

  @Test
  void aSegmentPathReadsTheSegment() {
    Er7Message hapi = Er7Message.parse(TestData.text(HAPI_ADT));
    assertThat(hapi.values(FieldPath.parse("EVN"))).containsExactly("EVN|A01|200105231927|");
    assertThat(hapi.values(FieldPath.parse("PID-5.2"))).containsExactly("Donald");
    assertThat(hapi.values(FieldPath.parse("PID-11(2).7"))).containsExactly("M");
  }

  @Test
  void aBomIsKeptAndDoesNotHideTheHeader() {
    String text = TestData.text("hl7v2/microsoft-fhir-converter/ADT01-23.hl7");
    assertThat(text).startsWith("\uFEFFMSH");
    Er7Message message = Er7Message.parse(text);
    assertThat(message.values(FieldPath.parse("MSH-10"))).containsExactly("599102");

    message.set(FieldPath.parse("MSH-5"), "LAB");

    assertThat(message.encode()).startsWith("\uFEFFMSH|^~\\&|AccMgr|1|LAB||");
  }

  @Test
  void escapeSequencesAreWrittenForDelimitersAndReadBack() {
    Er7Message message = Er7Message.parse(TestData.text(ADT_A01));
    String value = "A|B^C&D~E\\F";

    message.set(FieldPath.parse("PID-5.1"), value);

    assertThat(message.values(FieldPath.parse("PID-5(1).1"))).containsExactly(value);
    assertThat(message.values(FieldPath.parse("PID-5(1)"))).singleElement().asString()
        .startsWith("A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\F^ADAM^");
    assertThat(message.values(FieldPath.parse("PID-5.2"))).containsExactly("ADAM");
    assertThat(Er7Message.parse(message.encode()).values(FieldPath.parse("PID-5.1"))).containsExactly(value, "Josh&&&&Bing");
  }

  @Test
  void lineBreaksInAValueCannotStartASegment() {
    Er7Message message = Er7Message.parse("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1\r");

    message.set(FieldPath.parse("PID-5.1"), "line1\r\nZZZ|evil");

    assertThat(message.encode()).isEqualTo("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||||line1\\X0D\\\\X0A\\ZZZ\\F\\evil\r");
    assertThat(message.segmentCount("ZZZ")).isZero();
  }

  @Test
  void otherEscapesAreLeftAsWritten() {
    Er7Message message = Er7Message.parse("MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\rNTE|1||line\\.br\\next \\X0D\\ \\H\\bold\\N\\ \\S\\\r");
    assertThat(message.values(FieldPath.parse("NTE-3.1"))).containsExactly("line\\.br\\next \\X0D\\ \\H\\bold\\N\\ ^");
  }

  @Test
  void customDelimitersAndTheTruncationCharacter() {
    Er7Message message = Er7Message.parse("MSH#$*!@%#A#B\rPID#1#x$y*z$w@1");
    assertThat(message.values(FieldPath.parse("MSH-1"))).containsExactly("#");
    assertThat(message.values(FieldPath.parse("MSH-2"))).containsExactly("$*!@%");
    assertThat(message.values(FieldPath.parse("PID-2(2).2.1"))).containsExactly("w");
    assertThat(message.values(FieldPath.parse("PID-2(2).2.2"))).containsExactly("1");
    assertThat(message.values(FieldPath.parse("PID-2(1).2.2"))).isEmpty();

    message.set(FieldPath.parse("PID-3.1"), "a#b%c");

    assertThat(message.encode()).isEqualTo("MSH#$*!@%#A#B\rPID#1#x$y*z$w@1#a!F!b!P!c");
    assertThat(message.first(FieldPath.parse("PID-3.1"))).contains("a#b%c");
  }

  @Test
  void setPadsMissingFieldsRepetitionsAndComponents() {
    String msh = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5";
    Er7Message message = Er7Message.parse(msh + "\rPID|1\r");

    message.set(FieldPath.parse("PID-5.3"), "X");
    message.set(FieldPath.parse("PID-3(3).1"), "ID3");
    message.set(FieldPath.parse("PID-5.2.2"), "S");
    message.set(FieldPath.parse("MSH-18"), "UNICODE UTF-8");

    assertThat(message.encode()).isEqualTo(msh + "||||||UNICODE UTF-8\rPID|1||~~ID3||^&S^X\r");
  }

  @Test
  void setReplacesOnlyTheFirstSegmentAndRepetitionUnlessToldOtherwise() {
    Er7Message oru = Er7Message.parse(TestData.text(ORU));

    oru.set(FieldPath.parse("OBX-11"), "C");
    assertThat(oru.values(FieldPath.parse("OBX-11"))).containsExactly("C", "P", "I", "P", "F", "P", "P", "P", "P", "P");

    oru.set(FieldPath.parse("OBX(*)-11"), "F");
    assertThat(oru.values(FieldPath.parse("OBX-11"))).hasSize(10).containsOnly("F");

    Er7Message adt = Er7Message.parse(TestData.text(ADT_A01));
    adt.set(FieldPath.parse("PID-3.4"), "HOSP");
    assertThat(adt.values(FieldPath.parse("PID-3.4"))).containsExactly("HOSP", "USSSA");
    adt.set(FieldPath.parse("PID-3(*).4"), "ALL");
    assertThat(adt.values(FieldPath.parse("PID-3.4"))).containsExactly("ALL", "ALL");
  }

  @Test
  void setChangesOnlyTheBytesOfItsPosition() {
    String text = TestData.text(ADT_A01);
    Er7Message message = Er7Message.parse(text);

    message.set(FieldPath.parse("PV1-2"), "I");

    String[] before = text.split("\n", -1);
    String[] after = message.encode().split("\n", -1);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.length; i++) {
      if (before[i].startsWith("PV1|")) {
        assertThat(after[i]).isEqualTo(before[i].replaceFirst("^PV1\\|1\\|P\\|", "PV1|1|I|"));
      } else {
        assertThat(after[i]).as("line %d", i + 1).isEqualTo(before[i]);
      }
    }
  }

  @Test
  void trailingEmptyFieldsAndSpacesSurviveAnEdit() {
    String text = TestData.text("hl7v2/microsoft-fhir-converter/ADT01-23.hl7");
    Er7Message message = Er7Message.parse(text);

    message.set(FieldPath.parse("NK1-2.1"), "DUCK");

    assertThat(message.encode()).isEqualTo(text);
    message.set(FieldPath.parse("NK1-2.2"), "DEWEY");
    assertThat(message.encode()).isEqualTo(text.replace("NK1|1|DUCK^HUEY|", "NK1|1|DUCK^DEWEY|"));
  }

  @Test
  void aMissingSegmentIsAppendedWithTheMessagesSeparator() {
    String lf = TestData.text(ADT_A01);
    assertThat(lf).endsWith("\n");
    Er7Message withTrailingLf = Er7Message.parse(lf);
    withTrailingLf.set(FieldPath.parse("ZPI-1.2.3"), "V");
    assertThat(withTrailingLf.encode()).isEqualTo(lf + "ZPI|^&&V\n");
    assertThat(withTrailingLf.segmentCount("ZPI")).isEqualTo(1);

    String noTrailing = TestData.text("hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7");
    assertThat(noTrailing).doesNotEndWith("\n");
    Er7Message message = Er7Message.parse(noTrailing);
    message.set(FieldPath.parse("ZPI-1"), "x");
    assertThat(message.encode()).isEqualTo(noTrailing + "\nZPI|x");

    String cr = TestData.text(HAPI_ADT);
    Er7Message crMessage = Er7Message.parse(cr);
    crMessage.set(FieldPath.parse("ZPI-2"), "y");
    assertThat(crMessage.encode()).isEqualTo(cr + "\rZPI||y");

    Er7Message crlf = Er7Message.parse("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\r\nPID|1\r\n");
    crlf.set(FieldPath.parse("PV1-2"), "I");
    assertThat(crlf.encode()).isEqualTo("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\r\nPID|1\r\nPV1||I\r\n");
  }

  @Test
  void onlyTheNextSegmentCanBeCreated() {
    Er7Message oru = Er7Message.parse(TestData.text(ORU));
    oru.set(FieldPath.parse("OBX(11)-1"), "11");
    assertThat(oru.segmentCount("OBX")).isEqualTo(11);

    assertThatThrownBy(() -> oru.set(FieldPath.parse("OBX(13)-1"), "13"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OBX(13)-1 does not exist")
        .hasMessageContaining("OBX(12)");
    assertThatThrownBy(() -> oru.set(FieldPath.parse("MSH(2)-3"), "X")).isInstanceOf(IllegalArgumentException.class);
    oru.set(FieldPath.parse("ZZZ(*)-1"), "none");
    assertThat(oru.segmentCount("ZZZ")).as("* edits existing segments only").isZero();
  }

  @Test
  void theDelimitersAndWholeSegmentsCannotBeEdited() {
    Er7Message message = Er7Message.parse(TestData.text(ADT_A01));
    assertThatThrownBy(() -> message.set(FieldPath.parse("MSH-1"), "#")).hasMessageContaining("delimiters");
    assertThatThrownBy(() -> message.set(FieldPath.parse("MSH-2"), "$*!@")).hasMessageContaining("delimiters");
    assertThatThrownBy(() -> message.clear(FieldPath.parse("PID"))).hasMessageContaining("whole segment");
  }

  @Test
  void clearEmptiesWhatThePathNamesAndNothingElse() {
    String text = TestData.text(ADT_A01);
    String pid = text.lines().filter(l -> l.startsWith("PID|")).findFirst().orElseThrow();

    Er7Message wholeField = Er7Message.parse(text);
    wholeField.clear(FieldPath.parse("PID-3"));
    assertThat(wholeField.encode()).isEqualTo(text.replace(pid, pid.replaceFirst(
        "\\|PATID1234\\^5\\^M11\\^test1&2\\.16\\.1&HCD\\^MR\\^GOOD HEALTH HOSPITAL~123456789\\^\\^\\^USSSA\\^SS\\|", "||")));

    Er7Message oneRepetition = Er7Message.parse(text);
    oneRepetition.clear(FieldPath.parse("PID-3(2)"));
    assertThat(oneRepetition.values(FieldPath.parse("PID-3"))).containsExactly("PATID1234^5^M11^test1&2.16.1&HCD^MR^GOOD HEALTH HOSPITAL");
    assertThat(oneRepetition.encode()).contains("|PATID1234^5^M11^test1&2.16.1&HCD^MR^GOOD HEALTH HOSPITAL~|PATID567");

    Er7Message component = Er7Message.parse(text);
    component.clear(FieldPath.parse("PID-3(*).1"));
    assertThat(component.encode()).contains("|^5^M11^test1&2.16.1&HCD^MR^GOOD HEALTH HOSPITAL~^^^USSSA^SS|");

    Er7Message sub = Er7Message.parse(text);
    sub.clear(FieldPath.parse("PID-3.4.2"));
    assertThat(sub.first(FieldPath.parse("PID-3.4"))).contains("test1&&HCD");
  }

  @Test
  void clearCreatesNothing() {
    String text = TestData.text(ADT_A01);
    Er7Message message = Er7Message.parse(text);

    message.clear(FieldPath.parse("PID-99"));
    message.clear(FieldPath.parse("PID-3(5)"));
    message.clear(FieldPath.parse("PID-8.7"));
    message.clear(FieldPath.parse("ZPI-1"));
    message.clear(FieldPath.parse("OBX(3)-5"));

    assertThat(message.encode()).isEqualTo(text);
  }

  @Test
  void positionsListEachTargetOfAnEdit() {
    Er7Message adt = Er7Message.parse(TestData.text(ADT_A01));
    assertThat(adt.positions(FieldPath.parse("PID-3(*).4"))).extracting(FieldPath::toString).containsExactly("PID(1)-3(1).4", "PID(1)-3(2).4");
    assertThat(adt.positions(FieldPath.parse("ROL(*)-3"))).extracting(FieldPath::toString).containsExactly("ROL(1)-3(1)", "ROL(2)-3(1)", "ROL(3)-3(1)");
    assertThat(adt.positions(FieldPath.parse("ROL-3"))).extracting(FieldPath::toString).containsExactly("ROL(1)-3(1)");
    assertThat(adt.positions(FieldPath.parse("ZPI-1"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "PID|1|2", "MSH|^~", "MSHA^~\\&|X", "MSH|^^\\&|A", "MSH|^~\\&&|A", "\nMSH|^~\\&|A", "hello world"})
  void textThatIsNotAnEr7MessageIsRefused(String text) {
    assertThatThrownBy(() -> Er7Message.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ER7 message");
  }

  @Test
  void theInvalidSampleIsRefused() {
    assertThatThrownBy(() -> Er7Message.parse(TestData.text("hl7v2/nodengine-hl7/invalid.hl7"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String sample) throws IOException {
    try (InputStream in = Er7MessageTest.class.getResourceAsStream("/testdata/" + sample)) {
      return in.readAllBytes();
    }
  }
}
