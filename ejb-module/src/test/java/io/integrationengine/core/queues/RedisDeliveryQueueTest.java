package io.integrationengine.core.queues;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.fakes.EmbeddedRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The delivery queue's scripts against a real Redis server, started by the test. */
class RedisDeliveryQueueTest {

  private static EmbeddedRedis redis;
  private static RedissonClient client;
  private RedisDeliveryQueue queue;

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
  void emptyQueue() {
    client.getKeys().flushall();
    queue = new RedisDeliveryQueue(client, "test-instance");
  }

  private static DeliveryTask task(String message, String key) {
    return DeliveryTask.create(message, "r", "d", key);
  }

  private static int lane(String key) {
    return DeliveryQueue.laneOf(task("m", key));
  }

  private List<String> claimMessages(int lane, int max) {
    return queue.claim("d", lane, max).stream().map(c -> c.task().messageId()).toList();
  }

  @Test
  void tasksOfOneKeyShareALaneAndAreTakenOldestFirst() {
    queue.enqueue(List.of(task("m1", "P1"), task("m2", "P1"), task("m3", "P1")));

    assertThat(queue.readyCount("d")).isEqualTo(3);
    assertThat(queue.promoteDue("d")).containsExactly(lane("P1"));
    assertThat(claimMessages(lane("P1"), 2)).containsExactly("m1", "m2");
    assertThat(claimMessages(lane("P1"), 10)).containsExactly("m3");
    assertThat(claimMessages(lane("P1"), 10)).isEmpty();
  }

  @Test
  void aTaskWaitingForItsRetryHoldsBackItsKeyUntilItIsDelivered() {
    int lane = lane("P1");
    queue.enqueue(List.of(task("m1", "P1")));
    DeliveryQueue.Claimed first = queue.claim("d", lane, 10).get(0);
    queue.settle("d", List.of(new DeliveryQueue.Retry(first, first.task().failed("connection refused"), 0)));
    queue.enqueue(List.of(task("m2", "P1"), task("m3", "P1")));

    assertThat(claimMessages(lane, 10)).as("held behind m1").isEmpty();
    assertThat(queue.heldCount("d")).isEqualTo(2);

    // m1's retry time has come: it is taken, its key still blocked for the others
    queue.promoteDue("d");
    List<DeliveryQueue.Claimed> retried = queue.claim("d", lane, 10);
    assertThat(retried).extracting(c -> c.task().messageId()).containsExactly("m1");
    assertThat(retried.get(0).task().attempts()).isEqualTo(1);
    queue.settle("d", List.of(new DeliveryQueue.Done(retried.get(0))));

    assertThat(queue.heldCount("d")).isZero();
    assertThat(claimMessages(lane, 10)).containsExactly("m2", "m3");
  }

  @Test
  void otherKeysGoOnWhileOneIsBlocked() {
    queue.enqueue(List.of(task("a1", "A")));
    int laneA = lane("A");
    DeliveryQueue.Claimed a1 = queue.claim("d", laneA, 10).get(0);
    queue.settle("d", List.of(new DeliveryQueue.Retry(a1, a1.task().failed("x"), Long.MAX_VALUE / 2)));
    // a key on the same lane as A, and one without a key
    String sameLane = null;
    for (int i = 0; sameLane == null; i++) {
      if (lane("K" + i) == laneA) {
        sameLane = "K" + i;
      }
    }
    queue.enqueue(List.of(task("a2", "A"), task("k1", sameLane)));

    assertThat(claimMessages(laneA, 10)).containsExactly("k1");
    assertThat(queue.delayedCount("d")).isEqualTo(1);
    assertThat(queue.heldCount("d")).isEqualTo(1);
  }

  @Test
  void aDeadLetterReleasesItsKeyAndAHoldWaitsWithTheKey() {
    int lane = lane("P1");
    queue.enqueue(List.of(task("m1", "P1"), task("m2", "P1")));
    List<DeliveryQueue.Claimed> both = queue.claim("d", lane, 10);
    // m1 fails and waits; m2, in the same batch, is held behind it
    queue.settle("d", List.of(new DeliveryQueue.Retry(both.get(0), both.get(0).task().failed("x"), 0), new DeliveryQueue.Hold(both.get(1))));
    assertThat(queue.heldCount("d")).isEqualTo(1);

    queue.promoteDue("d");
    DeliveryQueue.Claimed again = queue.claim("d", lane, 10).get(0);
    queue.settle("d", List.of(new DeliveryQueue.Dead(again, again.task().failed("AR: unknown patient"))));

    assertThat(queue.deadCount("d")).isEqualTo(1);
    assertThat(claimMessages(lane, 10)).containsExactly("m2");
  }

  @Test
  void unfinishedTasksAreRecoveredToTheFrontOfTheirLaneInOrder() {
    int lane = lane("P1");
    queue.enqueue(List.of(task("m1", "P1"), task("m2", "P1"), task("m3", "P1")));
    queue.claim("d", lane, 2);
    queue.enqueue(List.of(task("m4", "P1")));

    assertThat(queue.recoverInflight("d", lane)).isEqualTo(2);
    assertThat(claimMessages(lane, 10)).containsExactly("m1", "m2", "m3", "m4");
  }

  @Test
  void tasksQueuedByAnEarlierVersionAreRecoveredIntoLaneZero() {
    client.getDeque("engine:dq:d:ready", StringCodec.INSTANCE).addFirst("t1|old-task|old-message|r|d|0|5|\\0");

    queue.recoverInflight("d", 0);

    List<DeliveryQueue.Claimed> claimed = queue.claim("d", 0, 10);
    assertThat(claimed).extracting(c -> c.task().messageId()).containsExactly("old-message");
    queue.settle("d", List.of(new DeliveryQueue.Done(claimed.get(0))));
    assertThat(client.getKeys().getKeysStreamByPattern("engine:dq:d:*").toList()).isEmpty();
  }

  @Test
  void oneClaimTakesFromSeveralLanesAndOneSettleEmptiesTheirInFlightLists() {
    List<DeliveryTask> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tasks.add(task("m" + i, null));
    }
    queue.enqueue(tasks);
    List<Integer> allLanes = java.util.stream.IntStream.range(0, DeliveryQueue.LANES).boxed().toList();

    List<DeliveryQueue.Claimed> claimed = queue.claim("d", allLanes, 50);
    assertThat(claimed).hasSize(20);
    assertThat(claimed.stream().map(c -> DeliveryQueue.laneOf(c.task())).distinct().count()).isGreaterThan(1);
    queue.settle("d", claimed.stream().map(c -> (DeliveryQueue.Settlement) new DeliveryQueue.Done(c)).toList());

    assertThat(queue.readyCount("d")).isZero();
    assertThat(client.getKeys().getKeysStreamByPattern("engine:dq:d:*").toList()).isEmpty();
  }

  @Test
  void depthsCountEveryStateOfEveryDestinationInOneRead() {
    int lane = lane("P1");
    queue.enqueue(List.of(task("m1", "P1"), task("m2", "P1"), task("m3", "P2")));
    queue.enqueue(List.of(DeliveryTask.create("x1", "r", "other", null)));
    DeliveryQueue.Claimed first = queue.claim("d", lane, 1).get(0);
    queue.settle("d", List.of(new DeliveryQueue.Retry(first, first.task().failed("refused"), Long.MAX_VALUE)));
    // m2 is claimed behind the blocked key: held
    queue.claim("d", lane, 10);
    DeliveryQueue.Claimed dead = queue.claim("other", DeliveryQueue.laneOf(DeliveryTask.create("x1", "r", "other", null)), 1).get(0);
    queue.settle("other", List.of(new DeliveryQueue.Dead(dead, dead.task().failed("no"))));
    queue.enqueue(List.of(DeliveryTask.create("x2", "r", "other", null)));
    queue.claim("other", DeliveryQueue.laneOf(DeliveryTask.create("x2", "r", "other", null)), 1);

    var depths = queue.depths(List.of("d", "other", "none"));

    long m3Ready = lane("P2") == lane ? 0 : 1;
    assertThat(depths.get("d")).isEqualTo(new DeliveryQueue.Depth(m3Ready, 1, 1 - m3Ready, 1, 0));
    assertThat(depths.get("other")).isEqualTo(new DeliveryQueue.Depth(0, 0, 1, 0, 1));
    assertThat(depths.get("none")).isEqualTo(new DeliveryQueue.Depth(0, 0, 0, 0, 0));
  }
}
