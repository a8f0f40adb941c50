package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeJournalTest {

  @TempDir
  Path dir;

  private static StoredMessage message(String tag) {
    return StoredMessage.received(tag.getBytes(), ContentType.BINARY, null, "test", null);
  }

  @Test
  void whatWasNotStoredIsReadBackAtTheNextOpeningInOrder() throws IOException {
    IntakeJournal journal = IntakeJournal.open(dir);
    IntakeJournal.Entry first = journal.append(message("first"));
    journal.append(message("second"));
    journal.append(message("third"));
    journal.stored(List.of(first));
    journal.close();

    IntakeJournal reopened = IntakeJournal.open(dir);
    // the segment is read whole: the first message may be stored, or not (its segment was not done)
    assertThat(reopened.leftovers()).extracting(m -> new String(m.getContent())).containsExactly("first", "second", "third");
    reopened.leftoversStored();
    assertThat(reopened.segmentFiles()).isZero();
  }

  @Test
  void aSegmentWhoseMessagesAreAllStoredIsDeletedOnceTheNextOneIsStarted() throws IOException {
    IntakeJournal journal = IntakeJournal.open(dir, 1); // every record fills its segment
    IntakeJournal.Entry a = journal.append(message("a"));
    IntakeJournal.Entry b = journal.append(message("b"));
    assertThat(journal.segmentFiles()).isEqualTo(2);

    journal.stored(List.of(a));
    assertThat(journal.segmentFiles()).as("a's segment is done").isEqualTo(1);

    journal.stored(List.of(b));
    assertThat(journal.segmentFiles()).as("b's segment is still written to").isEqualTo(1);
    journal.close();
    assertThat(journal.segmentFiles()).as("closed, and all its messages stored").isZero();
  }

  @Test
  void aRecordCutShortByACrashIsNotReadAndTheOnesBeforeItAre() throws IOException {
    IntakeJournal journal = IntakeJournal.open(dir);
    journal.append(message("whole"));
    journal.append(message("cut short"));
    journal.close();
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3);
    }

    assertThat(IntakeJournal.read(segment)).extracting(m -> new String(m.getContent())).containsExactly("whole");
  }

  @Test
  void aRecordWhoseBytesChangedIsNotRead() throws IOException {
    IntakeJournal journal = IntakeJournal.open(dir);
    journal.append(message("whole"));
    journal.close();
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 1;
    Files.write(segment, bytes);

    assertThat(IntakeJournal.read(segment)).isEmpty();
  }

  @Test
  void anOpeningStartsANewSegmentAfterTheOnesFound() throws IOException {
    IntakeJournal journal = IntakeJournal.open(dir);
    journal.append(message("left"));
    journal.close();

    IntakeJournal reopened = IntakeJournal.open(dir);
    reopened.append(message("new"));
    reopened.leftoversStored();

    assertThat(reopened.segmentFiles()).isEqualTo(1);
    reopened.close();
    assertThat(IntakeJournal.open(dir).leftovers()).extracting(m -> new String(m.getContent())).containsExactly("new");
  }
}
