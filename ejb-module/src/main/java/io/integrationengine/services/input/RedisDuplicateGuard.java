package io.integrationengine.services.input;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.queues.RedisConnection;
import io.integrationengine.core.services.MessageRepository;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@link DuplicateGuard} in Redis: remembers, so that every server instance sees it,
 * which control ids (MSH-10) each sender (MSH-3 and MSH-4) has sent within the window ({@code engine.dedup.windowSeconds},
 * default 600; 0 turns it off). A resend of a stored message is acknowledged again without being
 * processed twice; a resend of one still being stored is asked to try again later.
 *
 * <p>A message costs one round trip to Redis before its ACK, the claim ({@code SET NX}). That it
 * was stored is written afterwards, many messages in one pipelined batch a few milliseconds later
 * ({@link #FLUSH_DELAY_MILLIS}): the two round trips of each message, the second one waited for,
 * had been a sixth of the engine's CPU (Redisson's I/O thread, Redis itself and the waits of the
 * MLLP threads; docs/benchmarks.md, 2026-11-29 session 12). Until its batch is written, this
 * instance answers a resend from what it remembers; a claim still pending in Redis whose message is
 * in the store (another instance's batch not yet written, or lost with a crash) is taken as stored;
 * one older than {@link #STALE_AFTER} whose message never reached the store (the server died before
 * storing it, so it was never acknowledged) is taken over by the resend.
 *
 * <p>If Redis cannot be reached the message is processed: a possible duplicate is better than a
 * lost message.
 */
@ApplicationScoped
public class RedisDuplicateGuard implements DuplicateGuard {

  private static final Logger LOG = Logger.getLogger(RedisDuplicateGuard.class.getName());
  private static final String PENDING = "pending:";
  private static final String STORED = "stored:";

  /** How long stored marks gather before they are written together. */
  static final long FLUSH_DELAY_MILLIS = 10;

  /**
   * A pending claim older than this whose message is not in the store was left by a server that
   * died before storing it: a sender answers AR after 10 s of a store that does not keep up, and a
   * store that fails answers at once, so no message stays pending this long.
   */
  static final Duration STALE_AFTER = Duration.ofMinutes(2);

  /** Replaces a claim with another only if it is still the one read, with the window as its expiry. */
  private static final String TAKE_OVER = "if redis.call('get', KEYS[1]) == ARGV[1] then"
      + " redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

  @Inject
  RedisConnection redis;

  @Inject
  MessageRepository messages;

  @Resource
  ManagedThreadFactory threads;

  private Duration window;
  private Supplier<RedissonClient> clients;
  private ThreadFactory threadFactory;
  private Predicate<String> inStore;

  /** The connection's client, asked for once (a call on the {@code RedisConnection} EJB costs its interceptors). */
  private volatile RedissonClient connected;

  /** Stored marks not yet written to Redis, and this instance's memory of them until they are. */
  private record Mark(String key, String messageId) {}

  private final Queue<Mark> marks = new ConcurrentLinkedQueue<>();
  private final Map<String, String> storedNotWritten = new ConcurrentHashMap<>();
  private volatile boolean flushFailedBefore;
  /** Writes the marks: one thread, started with the guard (a managed executor's task per batch cost 0.4 ms in capturing its context). */
  private Thread writer;
  private volatile boolean running = true;
  /** Whether the writer waits for a first mark (and must be woken), rather than gathering a batch. */
  private volatile boolean idle;

  public RedisDuplicateGuard() {}

  /** For tests: a guard on this client and window, its writer from {@code threadFactory}, and a store that holds the messages {@code inStore} says. */
  RedisDuplicateGuard(RedissonClient client, Duration window, ThreadFactory threadFactory, Predicate<String> inStore) {
    this.clients = () -> client;
    this.window = window;
    this.threadFactory = threadFactory;
    this.inStore = inStore;
    startWriter();
  }

  @PostConstruct
  void init() {
    window = EngineSettings.load().duplicateWindow();
    clients = redis::client;
    threadFactory = threads;
    inStore = id -> messages.find(id).isPresent();
    startWriter();
  }

  private void startWriter() {
    if (window.isZero()) {
      return;
    }
    writer = threadFactory.newThread(this::writeLoop);
    writer.setName("dedup-stored-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Writes what is left, then stops the writer. */
  @PreDestroy
  void stop() {
    running = false;
    if (writer != null) {
      LockSupport.unpark(writer);
      try {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private RedissonClient client() {
    RedissonClient c = connected;
    if (c == null) {
      c = clients.get();
      connected = c;
    }
    return c;
  }

  /** Claims the sender's control id for {@code messageId}, unless it was claimed within the window. */
  @Override
  public Verdict claim(String sendingApplication, String sendingFacility, String controlId, String messageId) {
    if (window.isZero() || controlId == null || controlId.isBlank()) {
      return new First(null);
    }
    String key = "engine:dedup:" + sendingApplication + "|" + sendingFacility + "|" + controlId;
    try {
      RBucket<String> bucket = client().getBucket(key, StringCodec.INSTANCE);
      if (bucket.setIfAbsent(PENDING + messageId, window)) {
        return new First(key);
      }
      String existing = bucket.get();
      if (existing == null) {
        // expired between the two calls: try once more
        return bucket.setIfAbsent(PENDING + messageId, window) ? new First(key) : new InProgress("?");
      }
      if (existing.startsWith(STORED)) {
        return new AlreadyStored(existing.substring(STORED.length()));
      }
      return pending(key, existing, messageId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Duplicate check unavailable (Redis); processing control id " + controlId + " without it", e);
      return new First(null);
    }
  }

  /** Another message holds a pending claim on the control id: stored meanwhile, still being stored, or abandoned. */
  private Verdict pending(String key, String existing, String messageId) {
    String holder = existing.substring(PENDING.length());
    if (holder.equals(storedNotWritten.get(key)) || inStore.test(holder)) {
      return new AlreadyStored(holder);
    }
    if (stale(holder)) {
      Long taken = client().getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, TAKE_OVER, RScript.ReturnType.INTEGER,
          List.<Object>of(key), existing, PENDING + messageId, String.valueOf(window.toMillis()));
      if (taken != null && taken == 1) {
        LOG.info(() -> "Control id claim " + key + " of message " + holder + " was never stored (the server stopped before it could); taken over by message " + messageId);
        return new First(key);
      }
    }
    return new InProgress(holder);
  }

  /** Whether the message id (a version 7 UUID, which holds its creation time) is older than {@link #STALE_AFTER}. */
  static boolean stale(String messageId) {
    try {
      UUID id = UUID.fromString(messageId);
      if (id.version() != 7) {
        return false;
      }
      long createdMillis = id.getMostSignificantBits() >>> 16;
      return System.currentTimeMillis() - createdMillis > STALE_AFTER.toMillis();
    } catch (IllegalArgumentException notAUuid) {
      return false;
    }
  }

  /**
   * The message was stored: resends within the window are acknowledged, not processed. Remembered
   * here at once, so a resend that reaches this instance right after the ACK is acknowledged again,
   * and written to Redis with the others of the next few milliseconds.
   */
  @Override
  public void stored(First claim, String messageId) {
    if (claim.key() == null) {
      return;
    }
    storedNotWritten.put(claim.key(), messageId);
    marks.add(new Mark(claim.key(), messageId));
    if (idle) {
      LockSupport.unpark(writer);
    }
  }

  /** Until stopped and all is written: waits for a first mark, lets more gather for {@link #FLUSH_DELAY_MILLIS}, writes them. */
  private void writeLoop() {
    while (running || !marks.isEmpty()) {
      if (Thread.currentThread().isInterrupted()) {
        // the server is stopping its threads: what is gathered goes now (a park returns at once from here on)
        flush();
        return;
      }
      if (marks.isEmpty()) {
        idle = true;
        if (marks.isEmpty() && running) {
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        idle = false;
        continue;
      }
      if (running) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_DELAY_MILLIS));
      }
      flush();
    }
  }

  /** Writes the stored marks gathered so far in one pipelined batch, without waiting for its answer. */
  void flush() {
    List<Mark> batch = new ArrayList<>();
    for (Mark m; (m = marks.poll()) != null;) {
      batch.add(m);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      RBatch writes = client().createBatch();
      for (Mark m : batch) {
        writes.<String>getBucket(m.key(), StringCodec.INSTANCE).setAsync(STORED + m.messageId(), window);
      }
      writes.executeAsync().whenComplete((result, failure) -> written(batch, failure));
    } catch (RuntimeException e) {
      written(batch, e);
    }
  }

  /** Once Redis has answered: what it holds now answers a resend. */
  private void written(List<Mark> batch, Throwable failure) {
    if (failure != null && !flushFailedBefore) {
      LOG.log(Level.WARNING, "Could not record the control ids of " + batch.size() + " stored message(s) for duplicate detection; a resend is recognised"
          + " from the store", failure);
    }
    flushFailedBefore = failure != null;
    batch.forEach(m -> storedNotWritten.remove(m.key(), m.messageId()));
  }

  /** The message was not stored: a resend must be processed. */
  @Override
  public void forget(First claim, String messageId) {
    if (claim.key() == null) {
      return;
    }
    try {
      client().<String>getBucket(claim.key(), StringCodec.INSTANCE).compareAndSet(PENDING + messageId, null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not release control id of message " + messageId + "; a resend within the window will be asked to retry", e);
    }
  }
}
