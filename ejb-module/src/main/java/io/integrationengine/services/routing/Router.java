package io.integrationengine.services.routing;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueues;
import io.integrationengine.core.queues.DeliveryTask;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The routing stage: evaluates every route against a stored message and queues one delivery task
 * per matching destination. A message no route takes is kept as UNROUTED.
 */
@Stateless
public class Router {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  @PersistenceContext(unitName = "engine")
  private EntityManager em;

  @Inject
  RouteRegistry registry;

  @Inject
  DeliveryQueues queues;

  /** Routes one message, in the caller's (the stage consumer's) transaction. */
  public void route(String messageId) {
    StoredMessage message = em.find(StoredMessage.class, messageId);
    if (message == null) {
      throw new IllegalStateException("message " + messageId + " is not in the store");
    }
    if (message.getStatus() != MessageStatus.RECEIVED) {
      LOG.info(() -> "Message " + messageId + " already " + message.getStatus() + "; not routed again");
      return;
    }
    List<DeliveryTask> tasks = new ArrayList<>();
    List<String> taken = new ArrayList<>();
    for (RouteDefinition route : registry.routes()) {
      if (route.matches(message)) {
        taken.add(route.name() + " -> " + String.join(", ", route.destinations()));
        route.destinations().forEach(d -> tasks.add(DeliveryTask.create(messageId, route.name(), d)));
      }
    }
    if (tasks.isEmpty()) {
      message.changeStatus(MessageStatus.UNROUTED, "No route matches message type " + message.getMessageType());
      LOG.info(() -> "Message " + messageId + " (control id " + message.getControlId() + ", " + message.getMessageType() + ") matched no route");
      return;
    }
    message.changeStatus(MessageStatus.ROUTED, "Routes: " + String.join("; ", taken));
    // the database change commits after this; a task queued for a rolled-back routing is
    // redelivered and then skipped by the worker's idempotency check
    em.flush();
    tasks.forEach(queues::enqueue);
  }
}
