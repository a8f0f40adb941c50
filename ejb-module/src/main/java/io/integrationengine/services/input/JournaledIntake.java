package io.integrationengine.services.input;

import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.StageQueue;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * MLLP intake on the embedded H2 store: a message is acknowledged once it is in the
 * {@link IntakeJournal}, and one thread writes the journal's messages to the store in batches
 * (waiting up to {@link #LINGER_MILLIS} for more), then hands them to routing. H2 writes every
 * B-tree page a commit changed, whatever the commit holds, and senders that wait for their ACK
 * can only fill a commit with as many messages as there are senders: written from the journal, a
 * commit holds what arrived in its linger. Durability is H2's (a crash of the process loses
 * nothing acknowledged, the file is in the operating system's cache); a start first stores what
 * the journal holds and the store does not.
 *
 * <p>At most {@link #BACKLOG} messages wait to be stored; beyond that a sender waits up to
 * {@link #BACKLOG_WAIT_SECONDS} and is then refused, so a store that stops keeping up (paused,
 * full) turns into negative ACKs, never into an unbounded journal.
 *
 * <p>Off on PostgreSQL (a commit there costs little more for one message than for many, and its
 * durability includes power loss, which the journal's does not), and with
 * {@code engine.intake.journal=off}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JournaledIntake {

  private static final Logger LOG = Logger.getLogger(JournaledIntake.class.getName());
  static final long LINGER_MILLIS = 25;
  static final int MAX_BATCH = 500;
  static final int BACKLOG = 5000;
  static final long BACKLOG_WAIT_SECONDS = 10;
  /** The gauge of {@link #waitingToBeStored}; there only while the journal is in use. */
  static final String WAITING_GAUGE = "engine_intake_journal_waiting";
  private static final long RETRY_MAX_MILLIS = 10_000;

  /** {@code engine.intake.journal}: whether MLLP intake acknowledges from the journal. */
  enum Mode {
    /** On when the message store is H2. */
    AUTO,
    OFF
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Resource
  ManagedThreadFactory threads;

  @Inject
  MessageRepository messages;

  @Inject
  UnitOfWork work;

  @Inject
  StageQueue stages;

  @Inject
  MetricRegistry registry;

  private IntakeJournal journal;
  private final BlockingQueue<IntakeJournal.Entry> waiting = new LinkedBlockingQueue<>();
  private final int backlogLimit;
  private final long backlogWaitMillis;
  private final Semaphore backlog;
  private volatile boolean running;
  /** Counted down when stopping: ends a retry's wait at once (the writer is never interrupted: H2 closes its file when a thread is interrupted in its I/O). */
  private final CountDownLatch stopping = new CountDownLatch(1);
  private Thread writer;

  public JournaledIntake() {
    this(BACKLOG, TimeUnit.SECONDS.toMillis(BACKLOG_WAIT_SECONDS));
  }

  private JournaledIntake(int backlogLimit, long backlogWaitMillis) {
    this.backlogLimit = backlogLimit;
    this.backlogWaitMillis = backlogWaitMillis;
    this.backlog = new Semaphore(backlogLimit);
  }

  /** For tests: a journal in {@code directory}, written to {@code messages} by a thread from {@code threads}. */
  JournaledIntake(Path directory, MessageRepository messages, UnitOfWork work, StageQueue stages, int backlogLimit, long backlogWaitMillis, ThreadFactory threads)
      throws IOException {
    this(backlogLimit, backlogWaitMillis);
    this.messages = messages;
    this.work = work;
    this.stages = stages;
    open(directory);
    startWriter(threads);
  }

  @PostConstruct
  void start() {
    Mode mode = Mode.valueOf(ConfigProvider.getConfig(JournaledIntake.class.getClassLoader())
        .getOptionalValue("engine.intake.journal", String.class).orElse("auto").strip().toUpperCase(Locale.ROOT));
    if (mode == Mode.OFF || !embeddedH2()) {
      return;
    }
    Path directory = Path.of(System.getProperty("com.sun.aas.instanceRoot", System.getProperty("user.dir")), "lib", "databases", "intake-journal");
    try {
      open(directory);
    } catch (IOException | RuntimeException e) {
      // the journal's files stay where they are, for the next start; intake commits each batch itself meanwhile
      LOG.log(Level.SEVERE, "The intake journal in " + directory + " could not be opened or read back; MLLP intake stores each message before its ACK instead", e);
      journal = null;
      return;
    }
    startWriter(threads);
    registry.gauge(Metadata.builder().withName(WAITING_GAUGE)
        .withDescription("Messages acknowledged from the intake journal and not yet in the message store (at " + backlogLimit + " senders are refused)").build(),
        this::waitingToBeStored);
  }

  private void startWriter(ThreadFactory factory) {
    writer = factory.newThread(this::writeLoop);
    writer.setName("intake-journal-writer");
    writer.start();
  }

  private void open(Path directory) throws IOException {
    journal = IntakeJournal.open(directory);
    List<StoredMessage> leftovers = journal.leftovers();
    int stored = 0;
    for (int from = 0; from < leftovers.size(); from += MAX_BATCH) {
      List<StoredMessage> batch = leftovers.subList(from, Math.min(leftovers.size(), from + MAX_BATCH));
      List<StoredMessage> added = storeMissing(batch);
      stored += added.size();
      handOn(added);
    }
    journal.leftoversStored();
    if (!leftovers.isEmpty()) {
      int n = stored;
      LOG.warning(() -> "Read back " + leftovers.size() + " acknowledged message(s) from the intake journal in " + directory + "; " + n
          + " of them were not yet in the store and are stored now");
    }
    running = true;
  }

  /** Whether MLLP intake acknowledges from the journal. */
  public boolean active() {
    return running;
  }

  /**
   * Writes the message to the journal and queues it to be stored; when this returns, the message
   * may be acknowledged. Throws when the journal cannot be written, or the store has not kept up.
   */
  public void accept(StoredMessage message) {
    if (!running) {
      throw new IllegalStateException("intake is stopping");
    }
    try {
      if (!backlog.tryAcquire(backlogWaitMillis, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(backlogLimit + " acknowledged messages are waiting to be stored: the message store is not keeping up");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the message store", e);
    }
    try {
      waiting.add(journal.append(message));
    } catch (IOException | RuntimeException e) {
      backlog.release();
      throw new IllegalStateException("the intake journal could not be written: " + e.getMessage(), e);
    }
  }

  /** How many messages are acknowledged and not yet stored. */
  public int waitingToBeStored() {
    return backlogLimit - backlog.availablePermits();
  }

  /** How many may wait to be stored before senders are refused. */
  public int backlogLimit() {
    return backlogLimit;
  }

  @PreDestroy
  void stop() {
    if (journal == null) {
      return;
    }
    running = false;
    stopping.countDown();
    if (writer != null) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    journal.close();
  }

  /** Until stopped, and then until what is waiting is stored (or cannot be now: it stays in the journal). */
  private void writeLoop() {
    List<IntakeJournal.Entry> batch = new ArrayList<>();
    while (running || !waiting.isEmpty()) {
      try {
        IntakeJournal.Entry first = waiting.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (running && batch.size() < MAX_BATCH) {
          long left = until - System.nanoTime();
          IntakeJournal.Entry next = left <= 0 ? null : waiting.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the server is going away: the journal keeps what is not stored for the next start
      }
      waiting.drainTo(batch, MAX_BATCH - batch.size());
      if (!batch.isEmpty() && !storeAll(batch)) {
        return; // stopping while the store refuses: the journal keeps them for the next start
      }
      batch.clear();
    }
  }

  /** Stores the batch, retrying while the store refuses (until stopped); true once every message is stored. */
  private boolean storeAll(List<IntakeJournal.Entry> batch) {
    List<StoredMessage> batchMessages = batch.stream().map(IntakeJournal.Entry::message).toList();
    List<StoredMessage> added = insert(batchMessages);
    long wait = 100;
    while (added == null) {
      try {
        // a commit that failed after writing, or a retry after one: store only what is not there
        added = storeMissing(batchMessages);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, batch.size() + " acknowledged message(s) could not be stored yet (they are in the intake journal); retrying in " + wait + " ms: "
            + batchMessages.stream().map(m -> m.getId() + " (control id " + m.getControlId() + ")").toList(), e);
        if (stoppingWithin(wait)) {
          return false;
        }
        wait = Math.min(RETRY_MAX_MILLIS, wait * 2);
      }
    }
    journal.stored(batch);
    backlog.release(batch.size());
    handOn(added);
    return true;
  }

  /** The messages, inserted in one transaction; null when it failed. */
  private List<StoredMessage> insert(List<StoredMessage> batch) {
    try {
      work.inNewTransaction(() -> {
        messages.addAll(batch);
        return null;
      });
      return batch;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "a batch from the intake journal failed; its messages are stored again, those not yet there", e);
      return null;
    }
  }

  /** Waits up to {@code millis} for a stop; true if stopping. */
  private boolean stoppingWithin(long millis) {
    if (!running) {
      return true;
    }
    try {
      return stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stores those of the messages the store does not have; returns them. */
  private List<StoredMessage> storeMissing(List<StoredMessage> batch) {
    return work.inNewTransaction(() -> {
      Set<String> present = messages.findAll(batch.stream().map(StoredMessage::getId).toList()).stream().map(StoredMessage::getId).collect(Collectors.toSet());
      List<StoredMessage> missing = batch.stream().filter(m -> !present.contains(m.getId())).toList();
      if (!missing.isEmpty()) {
        messages.addAll(missing);
      }
      return missing;
    });
  }

  private void handOn(List<StoredMessage> stored) {
    if (!stored.isEmpty()) {
      MessageIntake.handOn(stages, stored);
    }
  }

  private boolean embeddedH2() {
    try (Connection c = store.getConnection()) {
      return c.getMetaData().getDatabaseProductName().equals("H2");
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "The message store could not be asked what it is; MLLP intake stores each message before its ACK", e);
      return false;
    }
  }
}
