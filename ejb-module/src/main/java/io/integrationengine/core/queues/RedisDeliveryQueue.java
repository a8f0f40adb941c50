package io.integrationengine.core.queues;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RDeque;
import org.redisson.api.RList;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@link DeliveryQueue} in Redis, through Redisson, shared by every server instance:
 *
 * <ul>
 *   <li>{@code engine:dq:<destination>:ready} tasks waiting, oldest at the tail
 *   <li>{@code engine:dq:<destination>:inflight:<instance>} tasks an instance is working on; moved
 *       there atomically when taken, so a crash leaves them there to be recovered, not lost
 *   <li>{@code engine:dq:<destination>:delayed} tasks waiting for their retry time (score = due
 *       time in epoch millis)
 *   <li>{@code engine:dq:<destination>:dead} tasks whose attempts are exhausted
 * </ul>
 */
@ApplicationScoped
public class RedisDeliveryQueue implements DeliveryQueue {

  /** Moves due tasks from the delayed set to the ready list, atomically, oldest first. */
  private static final String PROMOTE_DUE =
      "local due = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2])) "
          + "for _, task in ipairs(due) do redis.call('zrem', KEYS[1], task) redis.call('lpush', KEYS[2], task) end "
          + "return #due";

  @Inject
  RedisConnection redis;

  /** All or nothing (MULTI/EXEC): a failure never leaves some of a message's tasks queued and others not. */
  @Override
  public void enqueue(Collection<DeliveryTask> tasks) {
    RBatch batch = client().createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
    for (DeliveryTask task : tasks) {
      batch.<String>getDeque(readyName(task.destination()), StringCodec.INSTANCE).addFirstAsync(task.encode());
    }
    batch.execute();
  }

  /** Takes the oldest ready task of a destination, moving it to this instance's in-flight list. */
  @Override
  public Optional<Claimed> claim(String destination) {
    String raw = ready(destination).pollLastAndOfferFirstTo(inflightName(destination));
    return raw == null ? Optional.empty() : Optional.of(new Claimed(raw, DeliveryTask.decode(raw)));
  }

  /** The task is done (delivered, or decided about): forget it. */
  @Override
  public void complete(String destination, Claimed claimed) {
    inflight(destination).remove(claimed.raw(), 1);
  }

  /** Schedules the task again at {@code dueAtMillis}. Added before it is removed: a crash in between repeats it, never loses it. */
  @Override
  public void retryLater(Claimed claimed, DeliveryTask next, long dueAtMillis) {
    delayed(next.destination()).add(dueAtMillis, next.encode());
    complete(next.destination(), claimed);
  }

  @Override
  public void deadLetter(Claimed claimed, DeliveryTask last) {
    dead(last.destination()).addFirst(last.encode());
    complete(last.destination(), claimed);
  }

  /** Moves tasks whose retry time has come back to the ready list; returns how many. */
  @Override
  public long promoteDue(String destination) {
    Long moved = client().getScript(StringCodec.INSTANCE).eval(
        RScript.Mode.READ_WRITE,
        PROMOTE_DUE,
        RScript.ReturnType.INTEGER,
        List.of(delayedName(destination), readyName(destination)),
        String.valueOf(System.currentTimeMillis()),
        "100");
    return moved == null ? 0 : moved;
  }

  /** After a restart: this instance's unfinished tasks go back to the ready list. */
  @Override
  public int recoverInflight(String destination) {
    int recovered = 0;
    while (inflight(destination).size() > 0) {
      RDeque<String> inflight = client().getDeque(inflightName(destination), StringCodec.INSTANCE);
      if (inflight.pollLastAndOfferFirstTo(readyName(destination)) == null) {
        break;
      }
      recovered++;
    }
    return recovered;
  }

  @Override
  public long readyCount(String destination) {
    return ready(destination).size();
  }

  @Override
  public long delayedCount(String destination) {
    return delayed(destination).size();
  }

  @Override
  public long deadCount(String destination) {
    return dead(destination).size();
  }

  private RedissonClient client() {
    return redis.client();
  }

  private RDeque<String> ready(String destination) {
    return client().getDeque(readyName(destination), StringCodec.INSTANCE);
  }

  private RList<String> inflight(String destination) {
    return client().getList(inflightName(destination), StringCodec.INSTANCE);
  }

  private RScoredSortedSet<String> delayed(String destination) {
    return client().getScoredSortedSet(delayedName(destination), StringCodec.INSTANCE);
  }

  private RDeque<String> dead(String destination) {
    return client().getDeque(key(destination, "dead"), StringCodec.INSTANCE);
  }

  private static String readyName(String destination) {
    return key(destination, "ready");
  }

  private static String delayedName(String destination) {
    return key(destination, "delayed");
  }

  private String inflightName(String destination) {
    return key(destination, "inflight:" + redis.settings().instanceId());
  }

  private static String key(String destination, String part) {
    return "engine:dq:" + destination + ":" + part;
  }
}
