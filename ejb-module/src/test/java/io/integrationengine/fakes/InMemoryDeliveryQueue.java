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
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@link DeliveryQueue} in memory. {@link #failNext} makes the next call of an operation throw,
 * as Redis does when it goes away; {@link #whileEnqueueing} checks a condition at each enqueue.
 */
public class InMemoryDeliveryQueue implements DeliveryQueue {

  public final Map<String, Deque<DeliveryTask>> ready = new HashMap<>();
  public final Map<String, List<Claimed>> inflight = new HashMap<>();
  public final Map<String, List<DeliveryTask>> delayed = new HashMap<>();
  public final Map<String, List<DeliveryTask>> dead = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private BooleanSupplier enqueueCheck = () -> true;
  private String enqueueCheckMessage = "";

  /** The next {@code times} calls of {@code operation} ({@code enqueue}, {@code complete}, ...) throw. */
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

  @Override
  public void enqueue(Collection<DeliveryTask> tasks) {
    if (!enqueueCheck.getAsBoolean()) {
      throw new AssertionError(enqueueCheckMessage);
    }
    // all or nothing, as the Redis implementation's MULTI/EXEC
    maybeFail("enqueue");
    for (DeliveryTask task : tasks) {
      ready.computeIfAbsent(task.destination(), d -> new ArrayDeque<>()).addLast(task);
    }
  }

  @Override
  public Optional<Claimed> claim(String destination) {
    maybeFail("claim");
    DeliveryTask task = ready.getOrDefault(destination, new ArrayDeque<>()).pollFirst();
    if (task == null) {
      return Optional.empty();
    }
    Claimed claimed = new Claimed(task.taskId() + "#" + task.attempts(), task);
    inflight.computeIfAbsent(destination, d -> new ArrayList<>()).add(claimed);
    return Optional.of(claimed);
  }

  @Override
  public void complete(String destination, Claimed claimed) {
    maybeFail("complete");
    inflight.getOrDefault(destination, new ArrayList<>()).remove(claimed);
  }

  @Override
  public void retryLater(Claimed claimed, DeliveryTask next, long dueAtMillis) {
    delayed.computeIfAbsent(next.destination(), d -> new ArrayList<>()).add(next);
    complete(next.destination(), claimed);
  }

  @Override
  public void deadLetter(Claimed claimed, DeliveryTask last) {
    dead.computeIfAbsent(last.destination(), d -> new ArrayList<>()).add(last);
    complete(last.destination(), claimed);
  }

  @Override
  public long promoteDue(String destination) {
    List<DeliveryTask> due = delayed.getOrDefault(destination, new ArrayList<>());
    due.forEach(t -> ready.computeIfAbsent(destination, d -> new ArrayDeque<>()).addLast(t));
    int n = due.size();
    due.clear();
    return n;
  }

  @Override
  public int recoverInflight(String destination) {
    List<Claimed> mine = inflight.getOrDefault(destination, new ArrayList<>());
    mine.forEach(c -> ready.computeIfAbsent(destination, d -> new ArrayDeque<>()).addFirst(c.task()));
    int n = mine.size();
    mine.clear();
    return n;
  }

  @Override
  public long readyCount(String destination) {
    return ready.getOrDefault(destination, new ArrayDeque<>()).size();
  }

  @Override
  public long delayedCount(String destination) {
    return delayed.getOrDefault(destination, List.of()).size();
  }

  @Override
  public long deadCount(String destination) {
    return dead.getOrDefault(destination, List.of()).size();
  }

  /** Every task ready, in flight, delayed or dead for a destination. */
  public List<DeliveryTask> all(String destination) {
    List<DeliveryTask> all = new ArrayList<>(ready.getOrDefault(destination, new ArrayDeque<>()));
    inflight.getOrDefault(destination, List.of()).forEach(c -> all.add(c.task()));
    all.addAll(delayed.getOrDefault(destination, List.of()));
    all.addAll(dead.getOrDefault(destination, List.of()));
    return all;
  }
}
