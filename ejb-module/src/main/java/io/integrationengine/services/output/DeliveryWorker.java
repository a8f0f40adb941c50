package io.integrationengine.services.output;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import io.integrationengine.services.processing.TransformChain;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.routing.RouteDefinition;
import io.integrationengine.services.routing.RouteRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the tasks of one destination: takes a task, runs the route's transforms for the
 * destination (just before sending, so the chain always uses the current lookup tables), sends
 * the result through the destination's connector, records the outcome; a failure is retried with
 * exponential backoff until the destination's limit, then dead-lettered. A transform that fails
 * is dead-lettered at once: the same message would fail again.
 *
 * <p>Only a failure to send leads to a retry. Once the connector has delivered, the outcome is
 * recorded and the task completed; if that bookkeeping fails the task stays in flight, is
 * recovered, and is then skipped because its delivery is recorded.
 */
@ApplicationScoped
public class DeliveryWorker {

  private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());
  private static final RetryPolicy UNCONFIGURED = new RetryPolicy(10, 1000, 300_000);

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

  /** Delivers ready tasks of {@code destination} until none is left or {@code max} were handled. */
  public int drain(String destination, int max) {
    int handled = 0;
    while (handled < max) {
      Optional<DeliveryQueue.Claimed> claimed = queue.claim(destination);
      if (claimed.isEmpty()) {
        break;
      }
      deliver(claimed.get());
      handled++;
    }
    return handled;
  }

  private void deliver(DeliveryQueue.Claimed claimed) {
    DeliveryTask task = claimed.task();
    // one read transaction: is it done already, and the message
    Loaded loaded = work.inNewTransaction(() -> deliveries.isFinal(task.messageId(), task.destination())
        ? new Loaded(true, Optional.empty())
        : new Loaded(false, messages.find(task.messageId())));
    if (loaded.done()) {
      queue.complete(task.destination(), claimed);
      return;
    }
    Optional<StoredMessage> found = loaded.message();
    if (found.isEmpty()) {
      LOG.severe(() -> "Delivery task " + task.taskId() + " names message " + task.messageId() + ", which is not in the store; dead-lettered");
      queue.deadLetter(claimed, task.failed("message not in the store"));
      return;
    }
    StoredMessage message = found.get();
    Optional<DestinationDefinition> destination = destinations.destination(task.destination());
    RetryPolicy retry = destination.map(DestinationDefinition::retry).orElse(UNCONFIGURED);
    Content original = message.content();
    Content sent;
    String target;
    try {
      DestinationDefinition definition = destination.orElseThrow(() -> new IllegalStateException("destination '" + task.destination() + "' is not configured"));
      sent = transforms(task).apply(original);
      target = connector(definition.type()).deliver(new OutboundMessage(message.getId(), message.getControlId(), sent), definition);
    } catch (TransformException e) {
      fail(claimed, retry, new PermanentDeliveryFailure(e.getMessage()), message);
      return;
    } catch (Exception e) {
      fail(claimed, retry, e, message);
      return;
    }
    deliveries.record(task.messageId(), task.route(), task.destination(), DeliveryStatus.DELIVERED, task.attempts() + 1, null, target, sent == original ? null : sent);
    queue.complete(task.destination(), claimed);
  }

  /** What one read found: the delivery already done, or the message to deliver (empty: not in the store). */
  private record Loaded(boolean done, Optional<StoredMessage> message) {}

  private TransformChain transforms(DeliveryTask task) {
    if (task.route() == null) {
      return TransformChain.none();
    }
    RouteDefinition route = routes.route(task.route()).orElseThrow(() -> new IllegalStateException(
        "route '" + task.route() + "' is not configured (removed, or invalid: " + routes.invalid().getOrDefault(task.route(), "unknown") + "); its transforms for this destination are unknown"));
    return route.transformsFor(task.destination());
  }

  private void fail(DeliveryQueue.Claimed claimed, RetryPolicy retry, Exception error, StoredMessage message) {
    DeliveryTask failed = claimed.task().failed(error.getClass().getSimpleName() + ": " + error.getMessage());
    String context = "message " + failed.messageId() + " (control id " + message.getControlId() + ") to destination '" + failed.destination() + "', attempt " + failed.attempts();
    // a permanent failure is dead-lettered at once: no retry can change the answer
    boolean permanent = error instanceof PermanentDeliveryFailure;
    if (permanent || retry.exhausted(failed.attempts())) {
      LOG.log(Level.SEVERE, "Delivery of " + context + " failed" + (permanent ? "" : "; attempts exhausted") + ", dead-lettered: " + failed.lastError());
      deliveries.record(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.DEAD, failed.attempts(), failed.lastError(), null, null);
      queue.deadLetter(claimed, failed);
    } else {
      long delay = retry.backoffAfter(failed.attempts());
      LOG.log(Level.WARNING, "Delivery of " + context + " failed; retrying in " + delay + " ms: " + failed.lastError());
      if (deliveries.record(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.RETRYING, failed.attempts(), failed.lastError(), null, null)) {
        queue.retryLater(claimed, failed, System.currentTimeMillis() + delay);
      } else {
        // delivered or dead meanwhile (another instance, an operator): nothing to retry
        queue.complete(failed.destination(), claimed);
      }
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
