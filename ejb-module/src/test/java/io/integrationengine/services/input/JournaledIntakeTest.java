package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.RecordingStageQueue;
import io.integrationengine.fakes.TrackingUnitOfWork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledIntakeTest {

  @TempDir
  Path dir;

  /** The fakes are not thread-safe: the journal's writer thread and the test take turns through these locks. */
  private static final class SharedStore extends InMemoryMessageRepository {
    volatile boolean refusing;

    @Override
    public synchronized void add(StoredMessage message) {
      if (refusing) {
        throw new IllegalStateException("store paused");
      }
      super.add(message);
    }

    @Override
    public synchronized List<StoredMessage> findAll(Collection<String> ids) {
      if (refusing) {
        throw new IllegalStateException("store paused");
      }
      return super.findAll(ids);
    }

    synchronized List<String> contents() {
      return stored.values().stream().map(m -> new String(m.getContent())).toList();
    }
  }

  private static final class SharedQueue extends RecordingStageQueue {
    @Override
    public synchronized void toRouting(List<String> messageIds) {
      super.toRouting(messageIds);
    }

    synchronized List<String> handedOn() {
      return List.copyOf(toRouting);
    }
  }

  private final SharedStore store = new SharedStore();
  private final SharedQueue routing = new SharedQueue();
  private JournaledIntake intake;

  private static StoredMessage message(String tag) {
    return StoredMessage.received(tag.getBytes(), ContentType.BINARY, null, "test", null);
  }

  private JournaledIntake start() throws IOException {
    intake = new JournaledIntake(dir, store, new TrackingUnitOfWork(), routing, 2, 200, Thread::new);
    return intake;
  }

  @AfterEach
  void stop() {
    if (intake != null) {
      intake.stop();
    }
  }

  @Test
  void acceptedMessagesAreStoredInOrderAndThenHandedToRouting() throws IOException {
    start();
    List<StoredMessage> sent = List.of(message("one"), message("two"), message("three"));
    sent.forEach(intake::accept);

    await().atMost(Duration.ofSeconds(10)).until(() -> intake.waitingToBeStored() == 0);
    assertThat(store.contents()).containsExactly("one", "two", "three");
    assertThat(routing.handedOn()).containsExactlyElementsOf(sent.stream().map(StoredMessage::getId).toList());

    intake.stop();
    assertThat(IntakeJournal.open(dir).leftovers()).as("nothing left to read back").isEmpty();
  }

  @Test
  void aStartStoresWhatTheJournalHeldAndTheStoreDidNotOnceAndHandsOnOnlyThose() throws IOException {
    StoredMessage storedBeforeTheCrash = message("stored before the crash");
    StoredMessage onlyInTheJournal = message("only in the journal");
    IntakeJournal crashed = IntakeJournal.open(dir);
    crashed.append(storedBeforeTheCrash);
    crashed.append(onlyInTheJournal);
    crashed.close();
    store.add(storedBeforeTheCrash);

    start();

    assertThat(store.contents()).containsExactly("stored before the crash", "only in the journal");
    assertThat(routing.handedOn()).containsExactly(onlyInTheJournal.getId());
    intake.stop();
    assertThat(IntakeJournal.open(dir).leftovers()).isEmpty();
  }

  @Test
  void whileTheStoreRefusesMessagesAreKeptAndStoredOnceItTakesThem() throws IOException {
    start();
    store.refusing = true;
    StoredMessage m = message("during the pause");
    intake.accept(m);

    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> intake.waitingToBeStored() == 1);
    assertThat(store.contents()).isEmpty();

    store.refusing = false;
    await().atMost(Duration.ofSeconds(10)).until(() -> intake.waitingToBeStored() == 0);
    assertThat(store.contents()).containsExactly("during the pause");
    assertThat(routing.handedOn()).containsExactly(m.getId());
  }

  @Test
  void aStoreThatStaysAwayFillsTheBacklogAndThenMessagesAreRefusedNotJournaled() throws IOException {
    start();
    store.refusing = true;
    intake.accept(message("first"));
    intake.accept(message("second"));

    assertThatThrownBy(() -> intake.accept(message("third"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("not keeping up");

    store.refusing = false;
    await().atMost(Duration.ofSeconds(10)).until(() -> intake.waitingToBeStored() == 0);
    assertThat(store.contents()).containsExactly("first", "second");
    intake.accept(message("after"));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.contents().size() == 3);
  }

  @Test
  void messagesStillWaitingWhenStoppedAreReadBackAtTheNextStart() throws IOException {
    start();
    store.refusing = true;
    intake.accept(message("waiting"));
    intake.stop();
    intake = null;
    assertThat(store.contents()).isEmpty();

    store.refusing = false;
    start();

    assertThat(store.contents()).containsExactly("waiting");
  }
}
