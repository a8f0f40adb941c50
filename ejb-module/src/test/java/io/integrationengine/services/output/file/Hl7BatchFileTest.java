package io.integrationengine.services.output.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hl7BatchFileTest {

  private static final FileNamePattern NAMES = FileNamePattern.parse("batch_${messageId}");

  @TempDir
  Path folder;

  private static OutboundMessage message(int n) {
    String text = "MSH|^~\\&|LAB|H|EHR|H|20261127||ORU^R01|C" + n + "|P|2.5.1\rOBX|1|ST|X||MSH inside a value " + n + "\r";
    return new OutboundMessage("m" + n, "C" + n, new Content(text.getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1));
  }

  private List<Path> visible() throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void aFullBatchIsEnvelopedCountedAndRenamed() throws Exception {
    Hl7BatchFiles batches = new Hl7BatchFiles();
    BatchSettings settings = new BatchSettings(3, Duration.ofMinutes(1));
    for (int n = 1; n <= 4; n++) {
      batches.add(folder, "lab", settings, message(n), NAMES, "hl7");
    }
    assertThat(visible()).containsExactly(folder.resolve("batch_m1.hl7"));
    String batch = Files.readString(folder.resolve("batch_m1.hl7"), StandardCharsets.ISO_8859_1);
    String[] segments = batch.split("\r");
    assertThat(segments[0]).startsWith("FHS|^~\\&|INTEGRATION-ENGINE||lab||").contains("|batch_m1.hl7||m1");
    assertThat(segments[1]).startsWith("BHS|^~\\&|INTEGRATION-ENGINE||lab||");
    assertThat(batch).contains(new String(message(1).content().bytes(), StandardCharsets.ISO_8859_1)
        + new String(message(2).content().bytes(), StandardCharsets.ISO_8859_1) + new String(message(3).content().bytes(), StandardCharsets.ISO_8859_1));
    assertThat(batch).endsWith("\rBTS|3\rFTS|1\r").doesNotContain("C4|");
  }

  @Test
  void aWindowClosesAPartBatchEvenAfterARestart() throws Exception {
    BatchSettings settings = new BatchSettings(100, Duration.ofHours(1));
    new Hl7BatchFiles().add(folder, "lab", settings, message(1), NAMES, "hl7");
    assertThat(visible()).isEmpty();
    Hl7BatchFiles afterRestart = new Hl7BatchFiles();
    afterRestart.closeIfDue(folder, "lab", new BatchSettings(100, Duration.ofHours(1)));
    assertThat(visible()).isEmpty();
    afterRestart.closeIfDue(folder, "lab", new BatchSettings(100, Duration.ZERO));
    assertThat(visible()).containsExactly(folder.resolve("batch_m1.hl7"));
    assertThat(Files.readString(folder.resolve("batch_m1.hl7"))).endsWith("BTS|1\rFTS|1\r");
  }

  @Test
  void aMessageRedeliveredAfterACrashIsInTheBatchOnce() throws Exception {
    BatchSettings settings = new BatchSettings(3, Duration.ofMinutes(1));
    Hl7BatchFiles before = new Hl7BatchFiles();
    before.add(folder, "lab", settings, message(1), NAMES, "hl7");
    before.add(folder, "lab", settings, message(2), NAMES, "hl7");
    // the crash: message 3's bytes were written, its index line was not
    Files.write(folder.resolve(".lab.batch"), message(3).content().bytes(), StandardOpenOption.APPEND);

    Hl7BatchFiles after = new Hl7BatchFiles();
    after.add(folder, "lab", settings, message(2), NAMES, "hl7"); // delivered, but not yet marked so
    after.add(folder, "lab", settings, message(3), NAMES, "hl7");
    after.add(folder, "lab", settings, message(3), NAMES, "hl7"); // the full batch closed: still once

    String batch = Files.readString(folder.resolve("batch_m1.hl7"), StandardCharsets.ISO_8859_1);
    assertThat(batch.split("MSH\\|", -1)).hasSize(4);
    assertThat(batch).contains("|C1|").contains("|C2|").contains("|C3|").endsWith("BTS|3\rFTS|1\r");
  }

  @Test
  void aCloseInterruptedBetweenItsRenamesIsFinished() throws Exception {
    BatchSettings settings = new BatchSettings(2, Duration.ofMinutes(1));
    Hl7BatchFiles before = new Hl7BatchFiles();
    before.add(folder, "lab", settings, message(1), NAMES, "hl7");
    before.add(folder, "lab", settings, message(2), NAMES, "hl7");
    // undo the last rename, as if the server died just before it
    Files.move(folder.resolve("batch_m1.hl7"), folder.resolve(".lab.batch"));

    Hl7BatchFiles after = new Hl7BatchFiles();
    after.add(folder, "lab", settings, message(2), NAMES, "hl7"); // its delivery retried
    after.closeIfDue(folder, "lab", new BatchSettings(2, Duration.ZERO));
    assertThat(visible()).containsExactly(folder.resolve("batch_m1.hl7"));
    assertThat(Files.readString(folder.resolve("batch_m1.hl7"))).endsWith("BTS|2\rFTS|1\r");
  }

  @Test
  void aNewBatchCutShortByACrashDoesNotTakeTheNameOfTheLastOneOnceThatIsGone() throws Exception {
    BatchSettings settings = new BatchSettings(2, Duration.ofMinutes(1));
    Hl7BatchFiles before = new Hl7BatchFiles();
    before.add(folder, "lab", settings, message(1), NAMES, "hl7");
    before.add(folder, "lab", settings, message(2), NAMES, "hl7");
    // a reader took the closed batch away; then the next batch's header was written, its index not yet
    Files.delete(folder.resolve("batch_m1.hl7"));
    Files.write(folder.resolve(".lab.batch"), "FHS|^~\\&|INTEGRATION-ENGINE||lab\rBHS|^~\\&|INTEGRATION-ENGINE||lab\r".getBytes(StandardCharsets.US_ASCII));

    Hl7BatchFiles after = new Hl7BatchFiles();
    after.closeIfDue(folder, "lab", new BatchSettings(2, Duration.ZERO));
    assertThat(visible()).isEmpty();
    assertThat(folder.resolve(".lab.batch")).doesNotExist();
    after.add(folder, "lab", settings, message(2), NAMES, "hl7"); // in the last batch: not again
    after.add(folder, "lab", settings, message(3), NAMES, "hl7");
    after.closeIfDue(folder, "lab", new BatchSettings(2, Duration.ZERO));
    assertThat(visible()).containsExactly(folder.resolve("batch_m3.hl7"));
    assertThat(Files.readString(folder.resolve("batch_m3.hl7"))).contains("|C3|").doesNotContain("|C2|").endsWith("BTS|1\rFTS|1\r");
  }
}
