package io.integrationengine.services.input.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.services.input.file.FileRecord.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Hl7FileSplitterTest {

  private static final String A = "MSH|^~\\&|LAB|FAC|||20240101||ADT^A01|A1|P|2.5";
  private static final String B = "MSH|^~\\&|LAB|FAC|||20240101||ADT^A01|B2|P|2.5";

  static List<FileRecord> split(byte[] file) throws IOException {
    Hl7FileSplitter splitter = new Hl7FileSplitter(new ByteArrayInputStream(file), 0, 1);
    List<FileRecord> all = new ArrayList<>();
    FileRecord r;
    while ((r = splitter.next()) != null) {
      all.add(r);
    }
    return all;
  }

  private static String text(FileRecord r) {
    return new String(r.bytes(), StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r", "\n", "\r\n"})
  void splitsMessagesOnLinesStartingWithMshAndKeepsEveryByteWithItsLineEndings(String eol) throws IOException {
    String first = A + eol + "PID|1||123" + eol + "OBX|1|ST|X||see MSH-10 of the order; MSH|^~\\& quoted" + eol;
    String second = B + eol + "PID|1||456" + eol;
    List<FileRecord> records = split((first + second).getBytes(StandardCharsets.ISO_8859_1));

    assertThat(records).extracting(FileRecord::kind).containsExactly(Kind.MESSAGE, Kind.MESSAGE);
    assertThat(text(records.get(0))).isEqualTo(first);
    assertThat(text(records.get(1))).isEqualTo(second);
    assertThat(records).extracting(FileRecord::number).containsExactly(1L, 2L);
    assertThat(records.get(0).start()).isZero();
    assertThat(records.get(0).end()).isEqualTo(first.length());
    assertThat(records.get(1).end()).isEqualTo(first.length() + second.length());
  }

  @Test
  void aSingleMessageWithoutAFinalLineEndIsOneRecordAsWritten() throws IOException {
    String file = A + "\rPID|1||123";
    List<FileRecord> records = split(file.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(records).hasSize(1);
    assertThat(text(records.get(0))).isEqualTo(file);
  }

  @Test
  void blankLinesBetweenMessagesBelongToNoneButABlankLineInsideAMessageStays() throws IOException {
    String first = A + "\n\nPID|1||123\n";
    List<FileRecord> records = split((first + "\n\n" + B + "\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThat(text(records.get(0))).isEqualTo(first);
    assertThat(text(records.get(1))).isEqualTo(B + "\n");
  }

  @Test
  void batchEnvelopeSegmentsAreTheirOwnPiecesAndEndTheMessageBeforeThem() throws IOException {
    String file = "FHS|^~\\&|X\r\nBHS|^~\\&|X\r\n" + A + "\r\nPID|1\r\n" + B + "\r\nBTS|2\r\nFTS|1\r\n";
    List<FileRecord> records = split(file.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(records).extracting(FileRecord::kind).containsExactly(Kind.ENVELOPE, Kind.ENVELOPE, Kind.MESSAGE, Kind.MESSAGE, Kind.ENVELOPE, Kind.ENVELOPE);
    assertThat(records).extracting(FileRecord::segment).containsExactly("FHS", "BHS", "MSH", "MSH", "BTS", "FTS");
    assertThat(text(records.get(2))).isEqualTo(A + "\r\nPID|1\r\n");
    assertThat(records.get(3).number()).isEqualTo(2);
  }

  @Test
  void textBeforeTheFirstMessageIsAStrayRecordAndAByteOrderMarkBelongsToTheFile() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = ("hello\nworld\n" + A + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] file = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, file, 0, 3);
    System.arraycopy(body, 0, file, 3, body.length);
    List<FileRecord> records = split(file);
    assertThat(records).extracting(FileRecord::kind).containsExactly(Kind.STRAY_TEXT, Kind.MESSAGE);
    assertThat(text(records.get(0))).isEqualTo("hello\nworld\n");
    assertThat(records.get(0).start()).isEqualTo(3);
  }

  @Test
  void resumingAtARecordsEndGivesTheSameRecordsAsReadingOnFromThere() throws IOException {
    StringBuilder file = new StringBuilder("FHS|^~\\&\rBHS|^~\\&\r");
    for (int i = 0; i < 50; i++) {
      file.append("MSH|^~\\&|L|F|||2024||ADT^A01|C").append(i).append("|P|2.5\r\nPID|1||").append(i).append("\r\n");
    }
    file.append("BTS|50\rFTS|1\r");
    byte[] bytes = file.toString().getBytes(StandardCharsets.ISO_8859_1);
    List<FileRecord> all = split(bytes).stream().filter(r -> r.kind() == Kind.MESSAGE).toList();
    FileRecord checkpoint = all.get(19);

    InputStream rest = new ByteArrayInputStream(bytes, (int) checkpoint.end(), bytes.length);
    Hl7FileSplitter resumed = new Hl7FileSplitter(rest, checkpoint.end(), checkpoint.number() + 1);
    List<FileRecord> after = new ArrayList<>();
    FileRecord r;
    while ((r = resumed.next()) != null) {
      if (r.kind() == Kind.MESSAGE) {
        after.add(r);
      }
    }
    assertThat(after).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(after.get(i).number()).isEqualTo(all.get(20 + i).number());
      assertThat(after.get(i).start()).isEqualTo(all.get(20 + i).start());
      assertThat(after.get(i).bytes()).isEqualTo(all.get(20 + i).bytes());
    }
  }

  @Test
  void aCrLfSplitAcrossTheReadBufferStaysOneLineEnd() throws IOException {
    // a segment of 64 KB - 1 bytes puts the CR at the buffer's last byte and the LF in the next read
    char[] filler = new char[64 * 1024 - 1 - A.length()];
    Arrays.fill(filler, 'x');
    String first = A + new String(filler) + "\r\n";
    String file = first + B + "\r\n";
    List<FileRecord> records = split(file.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(records).hasSize(2);
    assertThat(text(records.get(0))).isEqualTo(first);
    assertThat(text(records.get(1))).isEqualTo(B + "\r\n");
  }

  @Test
  void envelopeCountsAreCheckedWhenPresent() throws IOException {
    String good = "FHS|^~\\&\rBHS|^~\\&\r" + A + "\r" + B + "\rBTS|2\rFTS|1\r";
    Hl7FileEnvelope ok = Hl7FileEnvelope.read(new ByteArrayInputStream(good.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(ok.problems()).isEmpty();
    assertThat(ok.messages()).isEqualTo(2);
    assertThat(new String(ok.bytes(), StandardCharsets.ISO_8859_1)).isEqualTo("FHS|^~\\&\rBHS|^~\\&\rBTS|2\rFTS|1\r");

    String bad = "FHS|^~\\&\rBHS|^~\\&\r" + A + "\rBTS|3\rFTS|2\r";
    Hl7FileEnvelope wrong = Hl7FileEnvelope.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(wrong.problems()).hasSize(2);
    assertThat(wrong.problems().get(0)).contains("BTS-1").contains("3").contains("has 1");
    assertThat(wrong.problems().get(1)).contains("FTS-1").contains("2").contains("has 1");

    String noCounts = "BHS|^~\\&\r" + A + "\rBTS\r";
    assertThat(Hl7FileEnvelope.read(new ByteArrayInputStream(noCounts.getBytes(StandardCharsets.ISO_8859_1))).problems()).isEmpty();
  }
}
