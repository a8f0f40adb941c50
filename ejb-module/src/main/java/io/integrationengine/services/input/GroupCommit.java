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
 *
 * <p>A handler announces a message it is reading ({@link #expect}) before it stores it. The caller
 * about to write a commit waits briefly (at most {@link #LINGER_NANOS}) for announced messages to
 * join it: senders that wait for each ACK before their next message all send again as soon as one
 * commit releases them, so without this the first to arrive would commit alone, the others
 * together after it, two commits where one does. It also waits, within the same bound, for as many
 * messages as the last commits saw (their own and those that came while they were written): four
 * such senders otherwise settle into two alternating commits of two, each pair arriving while the
 * other's commit is written. Each commit costs about the same whatever it holds (H2 rewrites every
 * B-tree page it changed), so fewer, fuller commits cost less per message.
 */
final class GroupCommit {

  /** How long a commit waits at most for messages being read to join it. */
  static final long LINGER_NANOS = 2_000_000;

  /** A message a handler is reading and will store (or not): the next commit waits briefly for it. */
  final class Arrival implements AutoCloseable {
    private boolean closed;

    /** It has joined the waiting messages, or will not come: no commit waits for it any longer. */
    @Override
    public void close() {
      synchronized (lock) {
        arrived();
      }
    }

    /** Holding the lock. */
    private void arrived() {
      if (!closed) {
        closed = true;
        arriving--;
        lock.notifyAll();
      }
    }
  }

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
  /** Messages announced and not yet waiting (or given up); guarded by {@link #lock}. */
  private int arriving;
  /**
   * How many messages a commit can expect, from those seen before: a commit's own and those that
   * came while it was written (senders that wait for their ACK send again once it is written).
   * Lowered to what came when a commit waited in vain; guarded by {@link #lock}.
   */
  private int senders = 1;
  private final int maxBatch;
  private final long lingerNanos;

  GroupCommit(int maxBatch) {
    this(maxBatch, LINGER_NANOS);
  }

  GroupCommit(int maxBatch, long lingerNanos) {
    this.maxBatch = maxBatch;
    this.lingerNanos = lingerNanos;
  }

  /** Announces a message that is being read: a commit about to be written waits briefly for it. Close it when the message will not be stored. */
  Arrival expect() {
    synchronized (lock) {
      arriving++;
      return new Arrival();
    }
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
    store(message, null, messages, work, handOn);
  }

  /** Stores an announced message ({@code arrival} may be null: not announced). */
  void store(StoredMessage message, Arrival arrival, MessageRepository messages, UnitOfWork work, Consumer<List<StoredMessage>> handOn) {
    Pending mine = new Pending(message);
    synchronized (lock) {
      waiting.add(mine);
      if (arrival != null) {
        arrival.arrived();
      } else {
        lock.notifyAll();
      }
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
        linger();
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
          senders = Math.max(senders, Math.min(maxBatch, batch.size() + waiting.size()));
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

  /**
   * Holding the lock, as the next commit's writer: waits until no announced message is still on its
   * way and as many are waiting as commits have seen lately, or the batch is full, or the linger is
   * over; then expects no more than came.
   */
  private void linger() {
    long until = System.nanoTime() + lingerNanos;
    long left;
    while ((arriving > 0 || waiting.size() < senders) && waiting.size() < maxBatch) {
      left = until - System.nanoTime();
      if (left <= 0) {
        senders = Math.max(1, waiting.size());
        return;
      }
      try {
        lock.wait(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
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
