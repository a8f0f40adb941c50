package io.integrationengine.core.services;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Schedule;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The housekeeping H2 leaves undone in the message store. With {@code WRITE_DELAY=0} (every commit
 * written before it returns, {@code config/store-h2.asadmin}) H2 starts no background writer, and
 * that writer is what rewrites its file's partly dead chunks: each commit appends a chunk, and a
 * chunk is only freed once every page in it is dead, which a message's content (written once,
 * read for as long as it is kept) prevents. The file grew by about 80-110 KB per message under
 * load. Every second (less often after a long run, {@link #PAUSE_FACTOR}) this rewrites the live
 * pages of the emptiest chunks (at most {@link #WRITE_BYTES}) while the live data is under
 * {@link #FILL_RATE}% of the chunks: their old chunks are then freed and their space reused (the
 * file does not shrink). Once the engine is quiet, the file's chunks hold at least that share of
 * live data, and it grows only when that is full; under a heavy load it still grows. Nothing to do
 * on PostgreSQL.
 *
 * <p>H2's own classes come from the H2 that Payara runs the pool with (its common class loader).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class H2Housekeeping {

  private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());

  /**
   * Chunks are rewritten while the live data fills less than this share of them, so the file stays
   * within about three times its live data. (H2's own background writer aims at 45% and rewrites
   * up to every 50 ms: on this project's 2-core machine, 50% and 4 MB every second took half a core
   * while catching up after a load, and a fifth more CPU per message under it; docs/benchmarks.md.)
   */
  static final int FILL_RATE = 30;

  /**
   * Live data rewritten at most per run. H2 rewrites a chunk whole, and skips one whose live data
   * is larger than this: a chunk holds a commit, which can be several MB (a file job's 1,000
   * records, a batch of up to 500 MLLP messages).
   */
  static final int WRITE_BYTES = 16 << 20;

  /**
   * After a run that took t, none for this many times t: the housekeeping takes at most a
   * twentieth of a core (and about as much again in the commits that write what it rewrote), while
   * catching up after a load or under one.
   */
  static final int PAUSE_FACTOR = 19;

  /**
   * Above this many commits a second the store is busy, and the housekeeping runs at most every
   * {@link #BUSY_PAUSE_SECONDS}: under a load of a thousand MLLP messages a second (by their batches'
   * waits, up to 40 commits a second each for the intake journal and routing, 10 for delivery) it
   * could not keep the file from growing anyway, and what it rewrote made the Payara JVM's old
   * generation fill sooner (a full collection of 0.9 s in the third round of bench/compare,
   * docs/benchmarks.md). A trickle of messages (at most three commits each, so below about fifteen
   * a second) leaves it running every second. Once a minute under load: a run rewrites up to
   * {@link #WRITE_BYTES} (about half a second of a core), which every 15 s was 4% of the engine's CPU
   * in the comparison's third round, for a file that grew by 50 MB a second meanwhile.
   */
  static final long BUSY_COMMITS_PER_SECOND = 50;

  static final long BUSY_PAUSE_SECONDS = 60;

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean h2;
  private long nextRun = System.nanoTime();
  private long lastRun = System.nanoTime();
  /** The store's version (one more per commit) at the last tick, and when; -1 before the first. */
  private long lastVersion = -1;
  private long lastVersionNanos;
  private volatile boolean failedBefore;

  @PostConstruct
  void start() {
    try (Connection c = store.getConnection()) {
      if (!c.getMetaData().getDatabaseProductName().equals("H2")) {
        return;
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "The message store could not be asked what it is; H2's file is not compacted while the engine runs", e);
      return;
    }
    h2 = true;
  }

  /**
   * An automatic non-persistent timer, as the engine's other timers: a programmatic one
   * ({@code TimerService.createIntervalTimer}) started Payara's persistent timer service, whose web
   * application, deployed at run time, left the REST API answering without a bearer token.
   */
  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void run() {
    if (!h2 || !running.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    try (Connection c = store.getConnection()) {
      MVStore mvStore = mvStore(driverConnection(c));
      long version = mvStore.getCurrentVersion();
      boolean busy = lastVersion >= 0 && busy(version - lastVersion, start - lastVersionNanos);
      lastVersion = version;
      lastVersionNanos = start;
      if (start - nextRun < 0 || busy && start - lastRun < TimeUnit.SECONDS.toNanos(BUSY_PAUSE_SECONDS)) {
        return;
      }
      compact(mvStore);
      long end = System.nanoTime();
      lastRun = end;
      nextRun = end + (end - start) * PAUSE_FACTOR;
      failedBefore = false;
    } catch (SQLException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      // said once until it works again: a store that cannot be compacted still stores
      if (!failedBefore) {
        LOG.log(Level.WARNING, "H2's message store file could not be compacted; it grows until the engine stops (which compacts it)", e);
      }
      failedBefore = true;
    } finally {
      running.set(false);
    }
  }

  /** Whether {@code commits} in {@code nanos} make the store busy ({@link #BUSY_COMMITS_PER_SECOND}). */
  static boolean busy(long commits, long nanos) {
    return nanos > 0 && commits * TimeUnit.SECONDS.toNanos(1) > BUSY_COMMITS_PER_SECOND * nanos;
  }

  /**
   * Rewrites the emptiest chunks if the store's live data is under {@link #FILL_RATE}% of them, and
   * writes what it rewrote (an idle store has no commit that would); true if it rewrote any.
   */
  static boolean compact(MVStore store) {
    boolean rewrote = store.compact(FILL_RATE, WRITE_BYTES);
    if (rewrote) {
      // returns at once if a commit is being written: that one, or the next, takes these pages along
      store.tryCommit();
    }
    return rewrote;
  }

  /** The store an embedded H2 connection (H2's own, not the pool's wrapper) works on. */
  static MVStore mvStore(Connection h2) {
    return ((SessionLocal) ((JdbcConnection) h2).getSession()).getDatabase().getStore().getMvStore();
  }

  /**
   * H2's connection under the pool's wrapper: Payara's documented way,
   * {@code com.sun.appserv.jdbc.DataSource.getConnection(Connection)}, called by reflection since
   * that API is not published where the build gets its artifacts ({@code unwrap} only hands out
   * interfaces, and H2's connection is a class).
   */
  private Connection driverConnection(Connection pooled) throws ReflectiveOperationException {
    return (Connection) Class.forName("com.sun.appserv.jdbc.DataSource", true, store.getClass().getClassLoader())
        .getMethod("getConnection", Connection.class).invoke(store, pooled);
  }
}
