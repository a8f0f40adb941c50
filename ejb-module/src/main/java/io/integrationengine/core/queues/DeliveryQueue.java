package io.integrationengine.core.queues;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-destination queues of delivery tasks, shared by every server instance. Each destination has
 * {@link #LANES} lanes; a task's lane follows from its ordering key (or, without one, its message),
 * and one worker at a time drains a lane, so a destination is delivered to in parallel while the
 * messages of one key keep their order. A task that fails and waits for its retry blocks its key:
 * later tasks of that key are held aside until it is delivered or dead-lettered, and every other
 * key goes on. Tasks are in flight per instance while worked on, so a crash leaves them to be
 * recovered, never lost.
 */
public interface DeliveryQueue {

  /** Lanes per destination: at most this many workers deliver to one destination at once. */
  int LANES = 8;

  /** A task taken from a queue; {@code raw} identifies it in the in-flight list. */
  record Claimed(String raw, DeliveryTask task) {}

  /** What became of a claimed task; settled together for a batch, in the order claimed. */
  sealed interface Settlement {
    Claimed claimed();
  }

  /** Delivered, or found delivered or dead already: forgotten, and its key released if it blocked it. */
  record Done(Claimed claimed) implements Settlement {}

  /** Failed; tried again at {@code dueAtMillis} as {@code next}, its key blocked until then. */
  record Retry(Claimed claimed, DeliveryTask next, long dueAtMillis) implements Settlement {}

  /** Failed for good: kept as {@code last} with the dead letters, and its key released. */
  record Dead(Claimed claimed, DeliveryTask last) implements Settlement {}

  /** Not attempted: an earlier task of its key failed in the same batch, so it waits with the key's held tasks. */
  record Hold(Claimed claimed) implements Settlement {}

  /** The lane of a task: the same for every task of one ordering key. */
  static int laneOf(DeliveryTask task) {
    String key = task.orderKey() != null ? task.orderKey() : task.messageId();
    return Math.floorMod(key.hashCode(), LANES);
  }

  /** Queues tasks, all or none. */
  void enqueue(Collection<DeliveryTask> tasks);

  /**
   * Takes up to {@code max} of the oldest ready tasks of the given lanes (the first lane's first)
   * into this instance's in-flight lists; tasks whose key is blocked by a failed task go to that
   * key's held tasks instead. The caller must be the only one draining these lanes.
   */
  List<Claimed> claim(String destination, List<Integer> lanes, int max);

  /** {@link #claim(String, List, int)} of one lane. */
  default List<Claimed> claim(String destination, int lane, int max) {
    return claim(destination, List.of(lane), max);
  }

  /** Applies the outcomes of claimed tasks, atomically. */
  void settle(String destination, List<Settlement> settlements);

  /** Moves tasks whose retry time has come to their lanes; returns the lanes with ready tasks. */
  List<Integer> promoteDue(String destination);

  /**
   * After a restart, or a drain that failed: this instance's unfinished tasks of a lane go back to
   * the front of the lane, in order. Only while no worker drains that lane.
   */
  int recoverInflight(String destination, int lane);

  long readyCount(String destination);

  long delayedCount(String destination);

  long deadCount(String destination);

  /** Tasks held back behind a failing task of their key. */
  long heldCount(String destination);

  /**
   * How many tasks of a destination are in each state; {@code inflight} counts this instance's
   * only (each instance reports its own), the others are shared by all instances.
   */
  record Depth(long ready, long delayed, long inflight, long held, long dead) {}

  /** The depths of several destinations, read together (one round trip where the queue allows it). */
  default Map<String, Depth> depths(Collection<String> destinations) {
    Map<String, Depth> depths = new LinkedHashMap<>();
    for (String d : destinations) {
      depths.put(d, new Depth(readyCount(d), delayedCount(d), 0, heldCount(d), deadCount(d)));
    }
    return depths;
  }

  /** A destination's dead letters, newest first, at most {@code limit}. */
  List<DeliveryTask> deadLetters(String destination, int limit);

  /**
   * Takes the dead letters of these messages off a destination's dead-letter queue (to replay or
   * discard them); {@code null} takes every one.
   *
   * @return the tasks taken off
   */
  List<DeliveryTask> removeDead(String destination, Collection<String> messageIds);
}
