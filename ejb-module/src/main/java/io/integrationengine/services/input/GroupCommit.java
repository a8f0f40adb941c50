package io.integrationengine.services.input;

import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stores messages that arrive while a commit is being written together, in the next commit: the
 * caller that finds no commit running takes every message waiting and stores them in one
 * transaction, the others wait for it. Each caller returns once its own message is durably stored
 * (or throws if it could not be), so an ACK still follows its message's commit; the cost of a
 * commit (H2 writes each one to its file) is shared by the batch. When a batch fails, its messages
 * are stored one by one, so one message the store refuses never fails the others.
 *
 * <p>The caller that wrote a commit then hands its stored messages on together, after releasing
 * the others: one hand-over per commit rather than per message, and no sender waits for it.
 */
final class GroupCommit {

  /** A message waiting to be stored, and what became of it. */
  private static final class Pending {
    final StoredMessage message;
    boolean done;
    RuntimeException failure;

    Pending(StoredMessage message) {
      this.message = message;
    }
  }

  private final Object lock = new Object();
  private List<Pending> waiting = new ArrayList<>();
  private boolean committing;
  private final int maxBatch;

  GroupCommit(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /** How many messages wait for the next commit (for tests). */
  int waitingCount() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /**
   * Stores the message, alone or with others; returns once it is committed. The caller that wrote
   * a commit passes the messages it stored to {@code handOn} before returning.
   */
  void store(StoredMessage message, MessageRepository messages, UnitOfWork work, Consumer<List<StoredMessage>> handOn) {
    Pending mine = new Pending(message);
    synchronized (lock) {
      waiting.add(mine);
    }
    while (true) {
      List<Pending> batch;
      synchronized (lock) {
        while (!mine.done && committing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while message " + message.getId() + " was being stored", e);
          }
        }
        if (mine.done) {
          break;
        }
        committing = true;
        if (waiting.size() <= maxBatch) {
          batch = waiting;
          waiting = new ArrayList<>();
        } else {
          batch = new ArrayList<>(waiting.subList(0, maxBatch));
          waiting = new ArrayList<>(waiting.subList(maxBatch, waiting.size()));
          // a full batch always includes whoever leads it
          if (!batch.contains(mine)) {
            waiting.remove(mine);
            waiting.add(0, batch.remove(batch.size() - 1));
            batch.add(mine);
          }
        }
      }
      try {
        commit(batch, messages, work);
      } finally {
        synchronized (lock) {
          committing = false;
          batch.forEach(p -> p.done = true);
          lock.notifyAll();
        }
      }
      List<StoredMessage> stored = new ArrayList<>(batch.size());
      batch.stream().filter(p -> p.failure == null).forEach(p -> stored.add(p.message));
      if (!stored.isEmpty()) {
        handOn.accept(stored);
      }
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
  }

  private static void commit(List<Pending> batch, MessageRepository messages, UnitOfWork work) {
    try {
      work.inNewTransaction(() -> {
        messages.addAll(batch.stream().map(p -> p.message).toList());
        return null;
      });
    } catch (RuntimeException batchFailed) {
      if (batch.size() == 1) {
        batch.get(0).failure = batchFailed;
        return;
      }
      for (Pending p : batch) {
        try {
          work.inNewTransaction(() -> {
            messages.addAll(List.of(p.message));
            return null;
          });
        } catch (RuntimeException e) {
          p.failure = e;
        }
      }
    }
  }
}
