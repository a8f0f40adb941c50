package io.integrationengine.services.output;

import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueues;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.MessageStore;
import io.integrationengine.services.routing.DestinationDefinition;
import io.integrationengine.services.routing.RetryPolicy;
import io.integrationengine.services.routing.RouteRegistry;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the tasks of one destination: takes a task, sends it through the destination's
 * connector, records the outcome; a failure is retried with exponential backoff until the
 * destination's limit, then dead-lettered.
 */
@ApplicationScoped
public class DeliveryWorker {

  private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

  @Inject
  DeliveryQueues queues;

  @Inject
  RouteRegistry registry;

  @EJB
  MessageStore store;

  @Inject
  @Any
  Instance<DestinationConnector> connectors;

  /** Delivers ready tasks of {@code destination} until none is left or {@code max} were handled. */
  public int drain(String destination, int max) {
    int handled = 0;
    while (handled < max) {
      Optional<DeliveryQueues.Claimed> claimed = queues.claim(destination);
      if (claimed.isEmpty()) {
        break;
      }
      deliver(claimed.get());
      handled++;
    }
    return handled;
  }

  private void deliver(DeliveryQueues.Claimed claimed) {
    DeliveryTask task = claimed.task();
    Optional<DestinationDefinition> destination = registry.destination(task.destination());
    Optional<StoredMessage> message = store.find(task.messageId());
    if (message.isEmpty()) {
      LOG.severe(() -> "Delivery task " + task.taskId() + " names message " + task.messageId() + ", which is not in the store; dead-lettered");
      queues.deadLetter(claimed, task.failed("message not in the store"));
      return;
    }
    if (store.isDelivered(task.messageId(), task.destination())) {
      queues.complete(task.destination(), claimed);
      return;
    }
    try {
      DestinationDefinition definition = destination.orElseThrow(() -> new IllegalStateException("destination '" + task.destination() + "' is not configured"));
      String target = connector(definition.type()).deliver(message.get(), definition);
      store.recordDelivery(task.messageId(), task.route(), task.destination(), DeliveryStatus.DELIVERED, task.attempts() + 1, null, target);
      queues.complete(task.destination(), claimed);
    } catch (Exception e) {
      fail(claimed, destination.map(DestinationDefinition::retry).orElse(new RetryPolicy(10, 1000, 300_000)), e, message.get());
    }
  }

  private void fail(DeliveryQueues.Claimed claimed, RetryPolicy retry, Exception error, StoredMessage message) {
    DeliveryTask failed = claimed.task().failed(error.getClass().getSimpleName() + ": " + error.getMessage());
    String context = "message " + failed.messageId() + " (control id " + message.getControlId() + ") to destination '" + failed.destination() + "', attempt " + failed.attempts();
    // a permanent failure is dead-lettered at once: no retry can change the answer
    boolean permanent = error instanceof PermanentDeliveryFailure;
    if (permanent || retry.exhausted(failed.attempts())) {
      LOG.log(Level.SEVERE, "Delivery of " + context + " failed" + (permanent ? "" : "; attempts exhausted") + ", dead-lettered: " + failed.lastError());
      store.recordDelivery(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.DEAD, failed.attempts(), failed.lastError(), null);
      queues.deadLetter(claimed, failed);
    } else {
      long delay = retry.backoffAfter(failed.attempts());
      LOG.log(Level.WARNING, "Delivery of " + context + " failed; retrying in " + delay + " ms: " + failed.lastError());
      store.recordDelivery(failed.messageId(), failed.route(), failed.destination(), DeliveryStatus.RETRYING, failed.attempts(), failed.lastError(), null);
      queues.retryLater(claimed, failed, System.currentTimeMillis() + delay);
    }
  }

  private DestinationConnector connector(String type) {
    for (DestinationConnector connector : connectors) {
      if (connector.type().equalsIgnoreCase(type)) {
        return connector;
      }
    }
    throw new IllegalStateException("no connector for destination type '" + type + "'");
  }
}
