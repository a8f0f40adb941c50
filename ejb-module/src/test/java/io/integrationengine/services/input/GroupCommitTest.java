package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.TrackingUnitOfWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  /** What the committing callers handed on, one list per hand-over. */
  private final List<List<StoredMessage>> handedOn = java.util.Collections.synchronizedList(new ArrayList<>());

  private static StoredMessage message(String tag) {
    return StoredMessage.received(tag.getBytes(), ContentType.BINARY, null, "test", null);
  }

  /** A store that holds the commit of the message "first" until released. */
  private static final class FirstCommitHeld extends InMemoryMessageRepository {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public synchronized void add(StoredMessage message) {
      if (new String(message.getContent()).equals("first")) {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.add(message);
    }
  }

  @Test
  void messagesArrivingDuringACommitShareTheNextOne() throws Exception {
    FirstCommitHeld messages = new FirstCommitHeld();
    TrackingUnitOfWork work = new TrackingUnitOfWork() {
      @Override
      public synchronized <T> T inNewTransaction(java.util.concurrent.Callable<T> unit) {
        return super.inNewTransaction(unit);
      }
    };
    GroupCommit group = new GroupCommit(64);
    ExecutorService senders = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      done.add(senders.submit(() -> group.store(message("first"), messages, work, handedOn::add)));
      messages.started.await(10, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        int n = i;
        done.add(senders.submit(() -> {
          group.store(message("m" + n), messages, work, handedOn::add);
        }));
      }
      // the five others are queued behind the running commit
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waitingCount() == 5);
      messages.release.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }

    assertThat(messages.stored).hasSize(6);
    assertThat(work.committed).as("one commit for the first message, one for the five that waited").isEqualTo(2);
    assertThat(handedOn).as("each commit's messages handed on together").hasSize(2).allSatisfy(batch -> assertThat(batch).isNotEmpty());
    assertThat(handedOn.stream().mapToInt(List::size).sum()).isEqualTo(6);
  }

  @Test
  void aCommitWaitsForAMessageAnnouncedBeforeItToJoinIt() throws Exception {
    InMemoryMessageRepository messages = new InMemoryMessageRepository();
    TrackingUnitOfWork work = new TrackingUnitOfWork();
    GroupCommit group = new GroupCommit(64, TimeUnit.SECONDS.toNanos(30));
    ExecutorService senders = Executors.newFixedThreadPool(2);
    try {
      GroupCommit.Arrival second = group.expect();
      Future<?> first = senders.submit(() -> group.store(message("first"), messages, work, handedOn::add));
      // the first is waiting for the announced one, not committing
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waitingCount() == 1);
      assertThat(work.committed).isZero();

      Future<?> joined = senders.submit(() -> group.store(message("second"), second, messages, work, handedOn::add));
      first.get(10, TimeUnit.SECONDS);
      joined.get(10, TimeUnit.SECONDS);
    } finally {
      senders.shutdownNow();
    }

    assertThat(messages.stored).hasSize(2);
    assertThat(work.committed).as("both in one commit, long before the linger's end").isEqualTo(1);
    assertThat(handedOn).singleElement().satisfies(batch -> assertThat(batch).hasSize(2));
  }

  @Test
  void aCommitExpectsAsManyMessagesAsTheLastOneSaw() throws Exception {
    FirstCommitHeld messages = new FirstCommitHeld();
    TrackingUnitOfWork work = new TrackingUnitOfWork();
    GroupCommit group = new GroupCommit(64, TimeUnit.SECONDS.toNanos(30));
    ExecutorService senders = Executors.newFixedThreadPool(3);
    try {
      Future<?> first = senders.submit(() -> group.store(message("first"), messages, work, handedOn::add));
      messages.started.await(10, TimeUnit.SECONDS);
      Future<?> second = senders.submit(() -> group.store(message("second"), messages, work, handedOn::add));
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waitingCount() == 1);
      messages.release.countDown();
      first.get(10, TimeUnit.SECONDS);

      // two messages were about while the first commit was written: the second's commit waits for another
      await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> work.committed == 1 && group.waitingCount() == 1);
      Future<?> third = senders.submit(() -> group.store(message("third"), messages, work, handedOn::add));
      second.get(10, TimeUnit.SECONDS);
      third.get(10, TimeUnit.SECONDS);
    } finally {
      senders.shutdownNow();
    }

    assertThat(work.committed).isEqualTo(2);
    assertThat(handedOn).hasSize(2);
    assertThat(handedOn.get(1)).extracting(m -> new String(m.getContent())).containsExactlyInAnyOrder("second", "third");
  }

  @Test
  void anAnnouncedMessageThatWillNotComeReleasesTheCommitWhenClosed() throws Exception {
    InMemoryMessageRepository messages = new InMemoryMessageRepository();
    TrackingUnitOfWork work = new TrackingUnitOfWork();
    GroupCommit group = new GroupCommit(64, TimeUnit.SECONDS.toNanos(30));
    ExecutorService senders = Executors.newSingleThreadExecutor();
    try {
      GroupCommit.Arrival rejected = group.expect();
      Future<?> first = senders.submit(() -> group.store(message("first"), messages, work, handedOn::add));
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waitingCount() == 1);

      rejected.close();
      first.get(10, TimeUnit.SECONDS);
      rejected.close(); // again: nothing more happens
    } finally {
      senders.shutdownNow();
    }

    assertThat(work.committed).isEqualTo(1);
    assertThat(messages.stored).hasSize(1);
  }

  @Test
  void aCommitWaitsNoLongerThanItsLingerForAnAnnouncedMessage() throws Exception {
    InMemoryMessageRepository messages = new InMemoryMessageRepository();
    TrackingUnitOfWork work = new TrackingUnitOfWork();
    GroupCommit group = new GroupCommit(64, TimeUnit.MILLISECONDS.toNanos(50));
    group.expect(); // never stored, never closed (a handler that failed to)

    group.store(message("first"), messages, work, handedOn::add);

    assertThat(work.committed).isEqualTo(1);
    assertThat(messages.stored).hasSize(1);
  }

  /** A store whose transactions roll back: what a failed unit added is gone. */
  private static final class RollingBackStore extends TrackingUnitOfWork {
    final List<String> committed = new ArrayList<>();
    final List<String> pending = new ArrayList<>();

    @Override
    public synchronized <T> T inNewTransaction(java.util.concurrent.Callable<T> unit) {
      pending.clear();
      try {
        T result = super.inNewTransaction(unit);
        committed.addAll(pending);
        return result;
      } finally {
        pending.clear();
      }
    }
  }

  @Test
  void aMessageTheStoreRefusesFailsAloneAndTheOthersInItsBatchAreStored() throws Exception {
    RollingBackStore work = new RollingBackStore();
    CountDownLatch firstCommitStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    InMemoryMessageRepository messages = new InMemoryMessageRepository() {
      @Override
      public void add(StoredMessage message) {
        String tag = new String(message.getContent());
        if (tag.equals("first")) {
          firstCommitStarted.countDown();
          try {
            releaseFirstCommit.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (tag.equals("bad")) {
          throw new IllegalStateException("value too long for column");
        }
        work.pending.add(tag);
      }
    };
    GroupCommit group = new GroupCommit(64);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      Future<?> first = senders.submit(() -> group.store(message("first"), messages, work, handedOn::add));
      firstCommitStarted.await(10, TimeUnit.SECONDS);
      Future<?> good1 = senders.submit(() -> group.store(message("good1"), messages, work, handedOn::add));
      Future<?> bad = senders.submit(() -> group.store(message("bad"), messages, work, handedOn::add));
      Future<?> good2 = senders.submit(() -> group.store(message("good2"), messages, work, handedOn::add));
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waitingCount() == 3);
      releaseFirstCommit.countDown();

      first.get(10, TimeUnit.SECONDS);
      good1.get(10, TimeUnit.SECONDS);
      good2.get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasMessageContaining("value too long");
    } finally {
      senders.shutdownNow();
    }

    assertThat(work.committed).containsExactlyInAnyOrder("first", "good1", "good2");
    assertThat(handedOn.stream().flatMap(List::stream).map(m -> new String(m.getContent()))).as("only what was stored is handed on")
        .containsExactlyInAnyOrder("first", "good1", "good2");
  }
}
