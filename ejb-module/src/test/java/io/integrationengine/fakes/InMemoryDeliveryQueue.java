package io.integrationengine.fakes;

import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A {@link DeliveryQueue} in memory, with the Redis implementation's rules: lanes by ordering key,
 * blocked keys and held tasks, recovery to the front of a lane. Deques take new tasks at the first
 * end and give the oldest from the last. {@link #failNext} makes the next call of an operation
 * throw, as Redis does when it goes away; {@link #whileEnqueueing} checks a condition at each
 * enqueue.
 */
public class InMemoryDeliveryQueue implements DeliveryQueue {

  private final Map<String, Deque<DeliveryTask>> ready = new HashMap<>();
  private final Map<String, List<Claimed>> inflight = new HashMap<>();
  public final Map<String, List<DeliveryTask>> delayed = new HashMap<>();
  public final Map<String, List<DeliveryTask>> dead = new HashMap<>();
  /** destination/key -> the id of the task blocking it */
  private final Map<String, String> blocked = new HashMap<>();
  private final Map<String, Deque<DeliveryTask>> held = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private BooleanSupplier enqueueCheck = () -> true;
  private String enqueueCheckMessage = "";

  /** The next {@code times} calls of {@code operation} ({@code enqueue}, {@code claim}, {@code settle}) throw. */
  public void failNext(String operation, int times) {
    failures.put(operation, times);
  }

  /** Every enqueue first asserts {@code check}. */
  public void whileEnqueueing(BooleanSupplier check, String message) {
    this.enqueueCheck = check;
    this.enqueueCheckMessage = message;
  }

  private void maybeFail(String operation) {
    int left = failures.getOrDefault(operation, 0);
    if (left > 0) {
      failures.put(operation, left - 1);
      throw new IllegalStateException("Redis unreachable (" + operation + ")");
    }
  }

  private Deque<DeliveryTask> ready(String destination, int lane) {
    return ready.computeIfAbsent(destination + "#" + lane, k -> new ArrayDeque<>());
  }

  private List<Claimed> inflight(String destination, int lane) {
    return inflight.computeIfAbsent(destination + "#" + lane, k -> new ArrayList<>());
  }

  private Deque<DeliveryTask> held(String destination, String key) {
    return held.computeIfAbsent(destination + "/" + key, k -> new ArrayDeque<>());
  }

  @Override
  public void enqueue(Collection<DeliveryTask> tasks) {
    if (!enqueueCheck.getAsBoolean()) {
      throw new AssertionError(enqueueCheckMessage);
    }
    // all or nothing, as the Redis implementation's script
    maybeFail("enqueue");
    for (DeliveryTask task : tasks) {
      ready(task.destination(), DeliveryQueue.laneOf(task)).addFirst(task);
    }
  }

  @Override
  public List<Claimed> claim(String destination, List<Integer> lanes, int max) {
    maybeFail("claim");
    List<Claimed> out = new ArrayList<>();
    for (int lane : lanes) {
      claim(destination, lane, max, out);
    }
    return out;
  }

  private void claim(String destination, int lane, int max, List<Claimed> out) {
    while (out.size() < max) {
      DeliveryTask task = ready(destination, lane).pollLast();
      if (task == null) {
        break;
      }
      String blocker = task.orderKey() == null ? null : blocked.get(destination + "/" + task.orderKey());
      if (blocker != null && !blocker.equals(task.taskId())) {
        held(destination, task.orderKey()).addFirst(task);
        continue;
      }
      Claimed claimed = new Claimed(task.taskId() + "#" + task.attempts(), task);
      inflight(destination, lane).add(claimed);
      out.add(claimed);
    }
  }

  @Override
  public void settle(String destination, List<Settlement> settlements) {
    maybeFail("settle");
    for (Settlement s : settlements) {
      DeliveryTask task = s.claimed().task();
      inflight(destination, DeliveryQueue.laneOf(task)).remove(s.claimed());
      String key = task.orderKey() == null ? null : destination + "/" + task.orderKey();
      if (s instanceof Retry r) {
        delayed.computeIfAbsent(destination, d -> new ArrayList<>()).add(r.next());
        if (key != null) {
          blocked.put(key, task.taskId());
        }
      } else if (s instanceof Hold) {
        held(destination, task.orderKey()).addFirst(task);
      } else {
        if (s instanceof Dead d) {
          dead.computeIfAbsent(destination, x -> new ArrayList<>()).add(d.last());
        }
        if (key != null && task.taskId().equals(blocked.get(key))) {
          blocked.remove(key);
          Deque<DeliveryTask> waiting = held(destination, task.orderKey());
          // newest first, each to the taking end: the oldest is taken first
          waiting.forEach(t -> ready(destination, DeliveryQueue.laneOf(t)).addLast(t));
          waiting.clear();
        }
      }
    }
  }

  @Override
  public List<Integer> promoteDue(String destination) {
    List<DeliveryTask> due = delayed.getOrDefault(destination, new ArrayList<>());
    due.forEach(t -> ready(destination, DeliveryQueue.laneOf(t)).addFirst(t));
    due.clear();
    List<Integer> busy = new ArrayList<>();
    for (int lane = 0; lane < LANES; lane++) {
      if (!ready(destination, lane).isEmpty()) {
        busy.add(lane);
      }
    }
    return busy;
  }

  @Override
  public int recoverInflight(String destination, int lane) {
    List<Claimed> mine = inflight(destination, lane);
    for (int i = mine.size() - 1; i >= 0; i--) {
      ready(destination, lane).addLast(mine.get(i).task());
    }
    int n = mine.size();
    mine.clear();
    return n;
  }

  @Override
  public long readyCount(String destination) {
    long n = 0;
    for (int lane = 0; lane < LANES; lane++) {
      n += ready(destination, lane).size();
    }
    return n;
  }

  @Override
  public long delayedCount(String destination) {
    return delayed.getOrDefault(destination, List.of()).size();
  }

  @Override
  public long deadCount(String destination) {
    return dead.getOrDefault(destination, List.of()).size();
  }

  @Override
  public long heldCount(String destination) {
    return held.entrySet().stream().filter(e -> e.getKey().startsWith(destination + "/")).mapToLong(e -> e.getValue().size()).sum();
  }

  @Override
  public List<DeliveryTask> deadLetters(String destination, int limit) {
    List<DeliveryTask> newestFirst = new ArrayList<>(dead.getOrDefault(destination, List.of()));
    java.util.Collections.reverse(newestFirst);
    return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
  }

  @Override
  public List<DeliveryTask> removeDead(String destination, Collection<String> messageIds) {
    List<DeliveryTask> removed = new ArrayList<>();
    dead.getOrDefault(destination, new ArrayList<>()).removeIf(t -> (messageIds == null || messageIds.contains(t.messageId())) && removed.add(t));
    return removed;
  }

  /** Tasks in flight for a destination, over all lanes. */
  public List<Claimed> inflight(String destination) {
    List<Claimed> all = new ArrayList<>();
    for (int lane = 0; lane < LANES; lane++) {
      all.addAll(inflight(destination, lane));
    }
    return all;
  }

  /** Every task ready, in flight, held, delayed or dead for a destination. */
  public List<DeliveryTask> all(String destination) {
    List<DeliveryTask> all = new ArrayList<>();
    for (int lane = 0; lane < LANES; lane++) {
      all.addAll(ready(destination, lane));
    }
    inflight(destination).forEach(c -> all.add(c.task()));
    held.entrySet().stream().filter(e -> e.getKey().startsWith(destination + "/")).forEach(e -> all.addAll(e.getValue()));
    all.addAll(delayed.getOrDefault(destination, List.of()));
    all.addAll(dead.getOrDefault(destination, List.of()));
    return all;
  }
}
