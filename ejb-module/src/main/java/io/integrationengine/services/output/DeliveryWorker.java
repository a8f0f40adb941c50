package io.integrationengine.services.output;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.MessageTracing;
import io.integrationengine.core.observability.PipelineLog;
import io.integrationengine.core.observability.PipelineMetrics;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.DatabaseConflicts;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import io.integrationengine.services.processing.TransformChain;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.routing.RouteDefinition;
import io.integrationengine.services.routing.RouteRegistry;
import io.integrationengine.services.routing.Router;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the tasks of some lanes of a destination, a batch at a time: claims a batch, reads its
 * delivery records and messages (two statements, no transaction), then per task runs the route's transforms for
 * the destination (just before sending, so the chain always uses the current lookup tables), sends
 * the result through the destination's connector, and finally records all outcomes in one
 * transaction and settles them on the queue in one call. A failure is retried with exponential
 * backoff until the destination's limit, then dead-lettered; while a task waits for its retry, the
 * later tasks of its ordering key wait too (in this batch, and on the queue), and other keys go
 * on. A transform that fails is dead-lettered at once: the same message would fail again.
 *
 * <p>Only a failure to send leads to a retry. Once the connector has delivered, the outcome is
 * recorded and the task settled; if that bookkeeping fails the tasks stay in flight, are recovered,
 * and a task whose delivery is recorded is then skipped (a file destination writes the same name
 * again, so a repeat leaves one file).
 */
@ApplicationScoped
public class DeliveryWorker {

  private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());
  private static final RetryPolicy UNCONFIGURED = new RetryPolicy(10, 1000, 300_000);
  /** Tasks claimed, read, recorded and settled together. */
  static final int BATCH = 200;

  @Inject
  DeliveryQueue queue;

  @Inject
  DestinationRegistry destinations;

  @Inject
  RouteRegistry routes;

  @Inject
  MessageRepository messages;

  @Inject
  DeliveryLog deliveries;

  @Inject
  UnitOfWork work;

  @Inject
  @Any
  Instance<DestinationConnector> connectorBeans;

  @Inject
  PipelineMetrics metrics = PipelineMetrics.NONE;

  @Inject
  MessageTracing tracing = MessageTracing.off();

  /** Told which deliveries have their outcome recorded: those need no QUEUED mark (none in tests that route nothing). */
  @Inject
  Router router;

  private List<DestinationConnector> connectors;

  public DeliveryWorker() {}

  /** For tests. */
  public DeliveryWorker(DeliveryQueue queue, DestinationRegistry destinations, RouteRegistry routes, MessageRepository messages, DeliveryLog deliveries,
      UnitOfWork work, List<DestinationConnector> connectors) {
    this.work = work;
    this.queue = queue;
    this.destinations = destinations;
    this.routes = routes;
    this.messages = messages;
    this.deliveries = deliveries;
    this.connectors = connectors;
  }

  /**
   * Delivers ready tasks of some lanes of {@code destination} until none is left or about
   * {@code max} were handled. The caller must be the only one draining these lanes.
   */
  public int drain(String destination, List<Integer> lanes, int max) {
    int handled = 0;
    while (handled < max) {
      List<DeliveryQueue.Claimed> batch = queue.claim(destination, lanes, Math.min(BATCH, max - handled));
      if (batch.isEmpty()) {
        break;
      }
      deliver(destination, batch);
      handled += batch.size();
    }
    return handled;
  }

  /** A task being worked on, and what became of it. */
  private static final class Attempt {
    final DeliveryQueue.Claimed claimed;
    DeliveryQueue.Settlement settlement;
    DeliveryLog.Outcome outcome;
    /** When the message was stored, for the delivery latency; set when it was delivered. */
    OffsetDateTime storedAt;

    Attempt(DeliveryQueue.Claimed claimed) {
      this.claimed = claimed;
    }

    DeliveryTask task() {
      return claimed.task();
    }
  }

  private void deliver(String destinationName, List<DeliveryQueue.Claimed> batch) {
    List<String> keys = batch.stream().map(c -> DeliveryRecord.key(c.task().messageId(), c.task().destination())).toList();
    List<String> ids = batch.stream().map(c -> c.task().messageId()).distinct().toList();
    // two reads, outside a transaction: which are done already, and the messages
    Set<String> done = deliveries.done(keys);
    Map<String, StoredMessage> found = new HashMap<>();
    messages.findAllRecent(ids).forEach(m -> found.put(m.getId(), m));
    Optional<DestinationDefinition> destination = destinations.destination(destinationName);
    RetryPolicy retry = destination.map(DestinationDefinition::retry).orElse(UNCONFIGURED);
    Set<String> waitingKeys = new HashSet<>();
    Set<String> inBatch = new HashSet<>();
    List<Attempt> attempts = new ArrayList<>(batch.size());
    for (DeliveryQueue.Claimed claimed : batch) {
      Attempt attempt = new Attempt(claimed);
      attempts.add(attempt);
      DeliveryTask task = claimed.task();
      String key = DeliveryRecord.key(task.messageId(), task.destination());
      if (done.contains(key) || !inBatch.add(key)) {
        // done already, or a second task for the same delivery (queued again by recovery)
        attempt.settlement = new DeliveryQueue.Done(claimed);
      } else if (task.orderKey() != null && waitingKeys.contains(task.orderKey())) {
        // an earlier message of its key is waiting for a retry: this one waits behind it
        attempt.settlement = new DeliveryQueue.Hold(claimed);
      } else {
        attempt(attempt, found.get(task.messageId()), destination, retry);
        if (attempt.settlement instanceof DeliveryQueue.Retry && task.orderKey() != null) {
          waitingKeys.add(task.orderKey());
        }
      }
    }
    List<Attempt> recorded = attempts.stream().filter(a -> a.outcome != null).toList();
    // run again if the database rolls it back for a conflict (the QUEUED marking updates these
    // records too): otherwise the whole batch, delivered already, would be recovered and sent again
    List<Boolean> moved = recorded.isEmpty() ? List.of()
        : DatabaseConflicts.retried("Recording " + recorded.size() + " delivery outcome(s) for " + destinationName,
            () -> work.inNewTransaction(() -> deliveries.record(recorded.stream().map(a -> a.outcome).toList())));
    if (router != null && !recorded.isEmpty()) {
      router.settled(recorded.stream().map(a -> DeliveryRecord.key(a.task().messageId(), a.task().destination())).toList());
    }
    for (int i = 0; i < recorded.size(); i++) {
      Attempt attempt = recorded.get(i);
      if (!moved.get(i) && attempt.settlement instanceof DeliveryQueue.Retry) {
        // delivered or dead meanwhile (another instance, an operator): nothing to retry
        attempt.settlement = new DeliveryQueue.Done(attempt.claimed);
      }
      if (moved.get(i)) {
        count(destinationName, attempt);
      }
    }
    for (Attempt attempt : attempts) {
      if (attempt.outcome == null && attempt.settlement instanceof DeliveryQueue.Dead) {
        metrics.delivery(destinationName, PipelineMetrics.DeliveryOutcome.DEAD);
      }
    }
    queue.settle(destinationName, attempts.stream().map(a -> a.settlement).toList());
  }

  /** Counts an outcome once it is recorded (and moved the delivery on: a repeat is not counted twice). */
  private void count(String destination, Attempt attempt) {
    switch (attempt.outcome.status()) {
      case DELIVERED -> {
        metrics.delivery(destination, PipelineMetrics.DeliveryOutcome.DELIVERED);
        if (attempt.storedAt != null) {
          metrics.delivered(destination, System.currentTimeMillis() - attempt.storedAt.toInstant().toEpochMilli());
        }
      }
      case RETRYING -> metrics.delivery(destination, PipelineMetrics.DeliveryOutcome.RETRIED);
      case DEAD -> metrics.delivery(destination, PipelineMetrics.DeliveryOutcome.DEAD);
      default -> {
        // PENDING and QUEUED are not attempt outcomes
      }
    }
  }

  private void attempt(Attempt attempt, StoredMessage message, Optional<DestinationDefinition> destination, RetryPolicy retry) {
    if (message == null) {
      deliverOnce(attempt, null, destination, retry);
      return;
    }
    DeliveryTask task = attempt.task();
    Span span = tracing.stage(message, "deliver " + task.destination(), SpanKind.CLIENT);
    span.setAttribute("engine.destination", task.destination());
    span.setAttribute("engine.route", task.route() == null ? "" : task.route());
    span.setAttribute("engine.attempt", task.attempts() + 1L);
    try {
      deliverOnce(attempt, message, destination, retry);
    } finally {
      if (attempt.outcome != null && attempt.outcome.status() != DeliveryStatus.DELIVERED) {
        MessageTracing.failed(span, attempt.outcome.status() + ": " + attempt.outcome.error());
      } else {
        if (attempt.outcome != null && attempt.outcome.target() != null) {
          span.setAttribute("engine.target", attempt.outcome.target());
        }
        span.end();
      }
    }
  }

  private void deliverOnce(Attempt attempt, StoredMessage message, Optional<DestinationDefinition> destination, RetryPolicy retry) {
    DeliveryTask task = attempt.task();
    if (message == null) {
      PipelineLog.log(LOG, Level.SEVERE, "Delivery task " + task.taskId() + " names message " + task.messageId() + ", which is not in the store; dead-lettered",
          PipelineLog.context(task.messageId(), null, null, task.route(), task.destination()));
      DeliveryTask failed = task.failed("message not in the store");
      attempt.settlement = new DeliveryQueue.Dead(attempt.claimed, failed);
      return;
    }
    Content original = message.content();
    Content sent;
    String target;
    try {
      DestinationDefinition definition = destination.orElseThrow(() -> new IllegalStateException("destination '" + task.destination() + "' is not configured"));
      sent = transforms(task).apply(original);
      target = connector(definition.type()).deliver(new OutboundMessage(message.getId(), message.getControlId(), sent), definition);
    } catch (TransformException e) {
      metrics.transformFailed(e.transform());
      fail(attempt, retry, new PermanentDeliveryFailure(e.getMessage()), message);
      return;
    } catch (Exception e) {
      fail(attempt, retry, e, message);
      return;
    }
    attempt.outcome = new DeliveryLog.Outcome(task.messageId(), task.route(), task.destination(), DeliveryStatus.DELIVERED, task.attempts() + 1, null, target,
        sent == original ? null : sent);
    attempt.settlement = new DeliveryQueue.Done(attempt.claimed);
    attempt.storedAt = message.getReceivedAt();
  }

  private TransformChain transforms(DeliveryTask task) {
    if (task.route() == null) {
      return TransformChain.none();
    }
    RouteDefinition route = routes.route(task.route()).orElseThrow(() -> new IllegalStateException(
        "route '" + task.route() + "' is not configured (removed, or invalid: " + routes.invalid().getOrDefault(task.route(), "unknown") + "); its transforms for this destination are unknown"));
    return route.transformsFor(task.destination());
  }

  private void fail(Attempt attempt, RetryPolicy retry, Exception error, StoredMessage message) {
    DeliveryTask failed = attempt.task().failed(error.getClass().getSimpleName() + ": " + error.getMessage());
    String context = "message " + failed.messageId() + " (control id " + message.getControlId() + ") to destination '" + failed.destination() + "', attempt " + failed.attempts()
        + (failed.orderKey() == null ? "" : ", ordering key " + failed.orderKey());
    var fields = PipelineLog.context(failed.messageId(), message.getControlId(), message.getChannel(), failed.route(), failed.destination());
    // a permanent failure is dead-lettered at once: no retry can change the answer
    boolean permanent = error instanceof PermanentDeliveryFailure;
    if (permanent || retry.exhausted(failed.attempts())) {
      PipelineLog.log(LOG, Level.SEVERE, "Delivery of " + context + " failed" + (permanent ? "" : "; attempts exhausted") + ", dead-lettered: " + failed.lastError(), fields);
      attempt.outcome = new DeliveryLog.Outcome(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.DEAD, failed.attempts(), failed.lastError(), null, null);
      attempt.settlement = new DeliveryQueue.Dead(attempt.claimed, failed);
    } else {
      long delay = retry.backoffAfter(failed.attempts());
      if (error instanceof RetryLater later && later.after() != null) {
        // the destination said when (Retry-After): never sooner than that
        delay = Math.max(delay, later.after().toMillis());
      }
      PipelineLog.log(LOG, Level.WARNING, "Delivery of " + context + " failed; retrying in " + delay + " ms" + (failed.orderKey() == null ? "" : ", later messages of its key wait") + ": "
          + failed.lastError(), fields);
      attempt.outcome = new DeliveryLog.Outcome(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.RETRYING, failed.attempts(), failed.lastError(), null, null);
      attempt.settlement = new DeliveryQueue.Retry(attempt.claimed, failed, System.currentTimeMillis() + delay);
    }
  }

  private DestinationConnector connector(String type) {
    for (DestinationConnector connector : connectors()) {
      if (connector.type().equalsIgnoreCase(type)) {
        return connector;
      }
    }
    throw new IllegalStateException("no connector for destination type '" + type + "'");
  }

  private List<DestinationConnector> connectors() {
    if (connectors == null) {
      connectors = connectorBeans.stream().toList();
    }
    return connectors;
  }
}
