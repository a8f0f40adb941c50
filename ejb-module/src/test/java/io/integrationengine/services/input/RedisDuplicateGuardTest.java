package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationengine.core.model.MessageIds;
import io.integrationengine.fakes.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The duplicate guard against a real Redis server, started by the test; two guards stand for two server instances. */
class RedisDuplicateGuardTest {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static EmbeddedRedis redis;
  private static RedissonClient client;

  /** The messages "in the store" of both instances. */
  private final Set<String> store = ConcurrentHashMap.newKeySet();
  private RedisDuplicateGuard one;
  private RedisDuplicateGuard other;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = EmbeddedRedis.start();
    client = redis.client();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void guards() {
    client.getKeys().flushall();
    one = new RedisDuplicateGuard(client, WINDOW, Executors.defaultThreadFactory(), store::contains);
    other = new RedisDuplicateGuard(client, WINDOW, Executors.defaultThreadFactory(), store::contains);
  }

  @AfterEach
  void stopGuards() {
    one.stop();
    other.stop();
  }

  private static String redisValue(String controlId) {
    return client.<String>getBucket("engine:dedup:APP|FAC|" + controlId, StringCodec.INSTANCE).get();
  }

  private DuplicateGuard.First claimed(RedisDuplicateGuard guard, String controlId, String messageId) {
    DuplicateGuard.Verdict verdict = guard.claim("APP", "FAC", controlId, messageId);
    assertThat(verdict).isInstanceOf(DuplicateGuard.First.class);
    return (DuplicateGuard.First) verdict;
  }

  @Test
  void aResendRightAfterTheAckIsAcknowledgedAgainBeforeTheStoredMarkIsWritten() {
    // this instance's writer is held back until the gate opens
    CountDownLatch gate = new CountDownLatch(1);
    RedisDuplicateGuard held = new RedisDuplicateGuard(client, WINDOW, r -> new Thread(() -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        return;
      }
      r.run();
    }), store::contains);
    String first = MessageIds.next();
    DuplicateGuard.First claim = claimed(held, "C1", first);
    held.stored(claim, first);

    // Redis still says pending (and the message is not in the store yet): the same instance answers from what it remembers
    assertThat(redisValue("C1")).isEqualTo("pending:" + first);
    assertThat(held.claim("APP", "FAC", "C1", MessageIds.next())).isEqualTo(new DuplicateGuard.AlreadyStored(first));
    assertThat(other.claim("APP", "FAC", "C1", MessageIds.next())).isEqualTo(new DuplicateGuard.InProgress(first));

    // the mark reaches Redis once written, with the window as its expiry, and every instance sees it
    gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> ("stored:" + first).equals(redisValue("C1")));
    assertThat(client.getBucket("engine:dedup:APP|FAC|C1").remainTimeToLive()).isGreaterThan(WINDOW.minusMinutes(1).toMillis());
    assertThat(other.claim("APP", "FAC", "C1", MessageIds.next())).isEqualTo(new DuplicateGuard.AlreadyStored(first));
    held.stop();
  }

  @Test
  void aClaimBeingStoredElsewhereAsksTheResendToWait() {
    String first = MessageIds.next();
    claimed(one, "C2", first);

    assertThat(other.claim("APP", "FAC", "C2", MessageIds.next())).isEqualTo(new DuplicateGuard.InProgress(first));
  }

  @Test
  void aPendingClaimWhoseMessageIsInTheStoreCountsAsStored() {
    // stored and acknowledged by an instance that stopped before it wrote the mark
    String first = MessageIds.next();
    claimed(one, "C3", first);
    store.add(first);

    assertThat(other.claim("APP", "FAC", "C3", MessageIds.next())).isEqualTo(new DuplicateGuard.AlreadyStored(first));
  }

  @Test
  void anOldPendingClaimWhoseMessageNeverReachedTheStoreIsTakenOver() {
    // claimed three minutes ago by a server that died before storing (so before acknowledging) it
    long threeMinutesAgo = System.currentTimeMillis() - Duration.ofMinutes(3).toMillis();
    String abandoned = new UUID((threeMinutesAgo << 16) | 0x7000L, 0x8000000000000001L).toString();
    client.<String>getBucket("engine:dedup:APP|FAC|C4", StringCodec.INSTANCE).set("pending:" + abandoned, WINDOW);
    String resend = MessageIds.next();

    assertThat(one.claim("APP", "FAC", "C4", resend)).isEqualTo(new DuplicateGuard.First("engine:dedup:APP|FAC|C4"));
    assertThat(redisValue("C4")).isEqualTo("pending:" + resend);
    assertThat(client.getBucket("engine:dedup:APP|FAC|C4").remainTimeToLive()).isGreaterThan(WINDOW.minusMinutes(1).toMillis());
    // a recent claim is not taken over
    assertThat(other.claim("APP", "FAC", "C4", MessageIds.next())).isEqualTo(new DuplicateGuard.InProgress(resend));
  }

  @Test
  void aForgottenClaimLetsTheResendThrough() {
    String first = MessageIds.next();
    DuplicateGuard.First claim = claimed(one, "C5", first);
    one.forget(claim, first);

    assertThat(other.claim("APP", "FAC", "C5", MessageIds.next())).isInstanceOf(DuplicateGuard.First.class);
  }

  @Test
  void manyStoredMarksAreAllWritten() {
    for (int i = 0; i < 500; i++) {
      String id = MessageIds.next();
      one.stored(claimed(one, "M" + i, id), id);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (int i = 0; i < 500; i++) {
        String value = redisValue("M" + i);
        if (value == null || !value.startsWith("stored:")) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void marksStillWaitingAreWrittenWhenTheGuardStops() {
    String id = MessageIds.next();
    one.stored(claimed(one, "S1", id), id);
    one.stop();

    await().atMost(Duration.ofSeconds(10)).until(() -> ("stored:" + id).equals(redisValue("S1")));
  }

  @Test
  void anInterruptedWriterWritesWhatIsGatheredAndEnds() {
    List<Thread> started = new CopyOnWriteArrayList<>();
    RedisDuplicateGuard guard = new RedisDuplicateGuard(client, WINDOW, r -> {
      Thread t = new Thread(r);
      started.add(t);
      return t;
    }, store::contains);
    String id = MessageIds.next();
    guard.stored(claimed(guard, "I1", id), id);
    started.get(0).interrupt();

    await().atMost(Duration.ofSeconds(10)).until(() -> !started.get(0).isAlive());
    await().atMost(Duration.ofSeconds(10)).until(() -> ("stored:" + id).equals(redisValue("I1")));
  }

  @Test
  void withoutAControlIdOrWindowThereIsNothingToClaim() {
    assertThat(one.claim("APP", "FAC", "", MessageIds.next())).isEqualTo(new DuplicateGuard.First(null));
    RedisDuplicateGuard off = new RedisDuplicateGuard(client, Duration.ZERO, Executors.defaultThreadFactory(), store::contains);
    assertThat(off.claim("APP", "FAC", "C6", MessageIds.next())).isEqualTo(new DuplicateGuard.First(null));
  }
}
