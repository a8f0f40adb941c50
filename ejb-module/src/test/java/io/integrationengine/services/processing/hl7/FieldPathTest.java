package io.integrationengine.services.processing.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.services.processing.hl7.FieldPath.Occurrence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

  @Test
  void segmentOnly() {
    FieldPath path = FieldPath.parse("PID");
    assertThat(path.segment()).isEqualTo("PID");
    assertThat(path.segmentOccurrence().isAbsent()).isTrue();
    assertThat(path.hasField()).isFalse();
    assertThat(path.field()).isZero();
  }

  @Test
  void fieldWithoutIndexes() {
    FieldPath path = FieldPath.parse("PID-8");
    assertThat(path).isEqualTo(new FieldPath("PID", Occurrence.ABSENT, 8, Occurrence.ABSENT, 0, 0));
    assertThat(path.repetition().isAbsent()).isTrue();
  }

  @Test
  void segmentIndexRepetitionAndComponents() {
    assertThat(FieldPath.parse("OBX(2)-5")).isEqualTo(new FieldPath("OBX", Occurrence.of(2), 5, Occurrence.ABSENT, 0, 0));
    assertThat(FieldPath.parse("PID-3(2).1")).isEqualTo(new FieldPath("PID", Occurrence.ABSENT, 3, Occurrence.of(2), 1, 0));
    assertThat(FieldPath.parse("ZPI-1.2.3")).isEqualTo(new FieldPath("ZPI", Occurrence.ABSENT, 1, Occurrence.ABSENT, 2, 3));
    assertThat(FieldPath.parse("MSH-9.2").component()).isEqualTo(2);
  }

  @Test
  void starIsKeptApartFromAnAbsentIndex() {
    FieldPath path = FieldPath.parse("OBX(*)-3(*).4");
    assertThat(path.segmentOccurrence().isAll()).isTrue();
    assertThat(path.repetition().isAll()).isTrue();
    assertThat(path.repetition().isIndex()).isFalse();
    assertThat(path.component()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PID", "PID-8", "PID-3.1", "OBX(2)-5", "PID-3(2).1", "PID-3(*).4", "MSH-9.2", "ZPI-1.2.3", "OBX(*)-5(3).1.2", "Z01-1"})
  void toStringIsThePathAsWritten(String text) {
    assertThat(FieldPath.parse(text)).hasToString(text);
  }

  @Test
  void delimiterFieldsAreRecognised() {
    assertThat(FieldPath.parse("MSH-1").namesDelimiters()).isTrue();
    assertThat(FieldPath.parse("MSH-2").namesDelimiters()).isTrue();
    assertThat(FieldPath.parse("MSH-3").namesDelimiters()).isFalse();
    assertThat(FieldPath.parse("PID-1").namesDelimiters()).isFalse();
  }

  @Test
  void badSyntaxSaysWhatIsWrong() {
    assertThatThrownBy(() -> FieldPath.parse("PID-0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'PID-0' is not a field path")
        .hasMessageContaining("count from 1");
    assertThatThrownBy(() -> FieldPath.parse("pid-3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment id 'pid'");
    assertThatThrownBy(() -> FieldPath.parse("PID-3.0")).hasMessageContaining("component 0");
    assertThatThrownBy(() -> FieldPath.parse("PID-3..1")).hasMessageContaining("expected a component number at position 7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "PI", "PID-", "PID3", "PID(0)", "PID()", "PID(2", "PID-3(", "PID-3(x)", "PID-3.1.2.3", "PID-3x", "PID-3.", "1ID-3",
      "PID-10000", "PID-99999999999", "PID -3", "PID-3(*)(2)"})
  void malformedPathsAreRefused(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRecordRefusesInconsistentComponents() {
    assertThatThrownBy(() -> new FieldPath("PID", Occurrence.ABSENT, 3, Occurrence.ABSENT, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FieldPath("PID", Occurrence.ABSENT, 0, Occurrence.of(1), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Occurrence.of(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
