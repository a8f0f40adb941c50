package io.integrationengine.services.output;

import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends messages again as an operator asks: a message to every destination it was routed to or to
 * one, and a destination's dead letters, some or all. The deliveries are reopened (PENDING, attempts
 * from zero) in one transaction and their tasks queued after it commits, as routing does, so a
 * Redis failure in between leaves them to the routing recovery. Deliveries still on their way are
 * left alone. A delivery that was DELIVERED keeps that success as an attempt of its history
 * before its record is reset. Discarding takes dead letters off the queue; their deliveries stay DEAD.
 * A session bean without a transaction of its own (the unit of work makes one), called from web
 * requests: see {@link io.integrationengine.core.services.JpaAuditTrail} for why a session bean.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DeliveryReplay {

  @Inject
  UnitOfWork unitOfWork;

  @Inject
  DeliveryLog deliveries;

  @Inject
  DeliveryQueue queue;

  /**
   * What a replay did.
   *
   * @param replayed the destinations sent to again
   * @param skipped destinations left alone, with the reason (still on its way)
   */
  public record Outcome(String messageId, List<String> replayed, Map<String, String> skipped) {}

  /** Replays a message to {@code destination}, or with null to every destination it was routed to. */
  public Outcome replay(String messageId, String destination) {
    Map<String, String> skipped = new TreeMap<>();
    List<DeliveryTask> tasks = unitOfWork.inNewTransaction(() -> {
      List<DeliveryTask> reopened = new ArrayList<>();
      for (DeliveryRecord d : deliveries.forMessage(messageId)) {
        if (destination != null && !destination.equals(d.getDestination())) {
          continue;
        }
        String was = d.getStatus().name();
        if (reopen(d)) {
          reopened.add(DeliveryTask.create(messageId, d.getRoute(), d.getDestination(), d.getOrderKey()));
        } else {
          skipped.put(d.getDestination(), "still " + was);
        }
      }
      return reopened;
    });
    for (DeliveryTask t : tasks) {
      // a replayed dead letter leaves the dead-letter queue
      queue.removeDead(t.destination(), Set.of(messageId));
    }
    hand(tasks);
    return new Outcome(messageId, tasks.stream().map(DeliveryTask::destination).toList(), skipped);
  }

  /** Replays a destination's dead letters: those of {@code messageIds}, or all with null. Returns the message ids replayed. */
  public List<String> replayDead(String destination, Collection<String> messageIds) {
    List<DeliveryTask> dead = queue.removeDead(destination, messageIds);
    if (dead.isEmpty()) {
      return List.of();
    }
    List<DeliveryTask> tasks = unitOfWork.inNewTransaction(() -> {
      Map<String, DeliveryRecord> records = deliveries.find(dead.stream().map(t -> DeliveryRecord.key(t.messageId(), t.destination())).toList());
      List<DeliveryTask> reopened = new ArrayList<>();
      for (DeliveryTask t : dead) {
        DeliveryRecord d = records.get(DeliveryRecord.key(t.messageId(), t.destination()));
        if (d != null && reopen(d)) {
          reopened.add(DeliveryTask.create(t.messageId(), d.getRoute(), d.getDestination(), d.getOrderKey()));
        }
      }
      return reopened;
    });
    hand(tasks);
    return tasks.stream().map(DeliveryTask::messageId).toList();
  }

  /** Takes dead letters off the queue for good: those of {@code messageIds}, or all with null. Returns the message ids discarded. */
  public List<String> discardDead(String destination, Collection<String> messageIds) {
    return queue.removeDead(destination, messageIds).stream().map(DeliveryTask::messageId).toList();
  }

  /**
   * {@link DeliveryRecord#replay}, in the caller's transaction; a DELIVERED record's success (attempts,
   * target, time) is kept as an attempt first, since the reset forgets it (a failure was kept when it
   * happened).
   */
  private boolean reopen(DeliveryRecord d) {
    if (d.getStatus() == DeliveryStatus.DELIVERED) {
      deliveries.keep(DeliveryAttempt.delivered(d));
    }
    return d.replay();
  }

  private void hand(List<DeliveryTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    queue.enqueue(tasks);
    deliveries.markQueued(tasks.stream().map(t -> DeliveryRecord.key(t.messageId(), t.destination())).toList());
  }
}
