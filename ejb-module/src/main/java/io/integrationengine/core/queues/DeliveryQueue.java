package io.integrationengine.core.queues;

import java.util.Collection;
import java.util.Optional;

/**
 * Per-destination queues of delivery tasks, shared by every server instance: ready, in flight per
 * instance (so a crash leaves a task to be recovered, never lost), delayed until a retry time, and
 * dead.
 */
public interface DeliveryQueue {

  /** A task taken from a queue; {@code raw} identifies it in the in-flight list. */
  record Claimed(String raw, DeliveryTask task) {}

  void enqueue(Collection<DeliveryTask> tasks);

  /** Takes the oldest ready task of a destination, moving it to this instance's in-flight list. */
  Optional<Claimed> claim(String destination);

  /** The task is done (delivered, or decided about): forget it. */
  void complete(String destination, Claimed claimed);

  /** Schedules the task again at {@code dueAtMillis}; added before it is removed, so a crash in between repeats it, never loses it. */
  void retryLater(Claimed claimed, DeliveryTask next, long dueAtMillis);

  void deadLetter(Claimed claimed, DeliveryTask last);

  /** Moves tasks whose retry time has come back to the ready list; returns how many. */
  long promoteDue(String destination);

  /** After a restart: this instance's unfinished tasks go back to the ready list. */
  int recoverInflight(String destination);

  long readyCount(String destination);

  long delayedCount(String destination);

  long deadCount(String destination);
}
