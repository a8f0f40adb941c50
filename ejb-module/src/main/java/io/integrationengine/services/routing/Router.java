package io.integrationengine.services.routing;

import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The routing stage: evaluates every route against a stored message and plans one delivery per
 * destination. The plan (message ROUTED, one PENDING delivery record each) commits first; only
 * then are the tasks handed to the delivery queues, and their records marked QUEUED. A failure in
 * between leaves PENDING records, which {@link RoutingRecovery} queues later: a task is never
 * queued for a routing that rolled back, and never lost for one that committed.
 */
@ApplicationScoped
public class Router {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  @Inject
  MessageRepository messages;

  @Inject
  DeliveryLog deliveries;

  @Inject
  DeliveryQueue queue;

  @Inject
  RouteRegistry routes;

  @Inject
  UnitOfWork work;

  public Router() {}

  /** For tests. */
  public Router(MessageRepository messages, DeliveryLog deliveries, DeliveryQueue queue, RouteRegistry routes, UnitOfWork work) {
    this.messages = messages;
    this.deliveries = deliveries;
    this.queue = queue;
    this.routes = routes;
    this.work = work;
  }

  /** Routes one message; a message no longer waiting for routing is left alone. */
  public void route(String messageId) {
    List<DeliveryTask> tasks = work.inNewTransaction(() -> plan(messageId));
    hand(tasks);
  }

  /** Queues tasks whose records are planned, then marks them queued. */
  public void hand(List<DeliveryTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    try {
      queue.enqueue(tasks);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not queue " + tasks.size() + " delivery task(s) of message " + tasks.get(0).messageId()
          + " (Redis unreachable?); routing recovery queues them later", e);
      return;
    }
    try {
      deliveries.markQueued(tasks.stream().map(t -> DeliveryRecord.key(t.messageId(), t.destination())).toList());
    } catch (RuntimeException e) {
      // the tasks are queued; recovery may queue them again, and the worker skips a delivery already done
      LOG.log(Level.WARNING, "Could not mark the deliveries of message " + tasks.get(0).messageId() + " queued", e);
    }
  }

  private List<DeliveryTask> plan(String messageId) {
    StoredMessage message = messages.find(messageId).orElseThrow(() -> new IllegalStateException("message " + messageId + " is not in the store"));
    if (message.getStatus() != MessageStatus.RECEIVED) {
      LOG.fine(() -> "Message " + messageId + " already " + message.getStatus() + "; not routed again");
      return List.of();
    }
    StoredMessageView view = new StoredMessageView(message);
    Map<String, String> routeOf = new LinkedHashMap<>();
    List<String> taken = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RouteDefinition route : routes.routes()) {
      boolean matched;
      try {
        matched = route.matches(view);
      } catch (RuntimeException e) {
        problems.add("route '" + route.name() + "' could not read the message: " + e.getMessage());
        continue;
      }
      if (!matched) {
        continue;
      }
      RouteDefinition.Targets targets = route.targets(view, routes);
      if (targets.problem() != null) {
        problems.add(targets.problem());
      }
      if (!targets.destinations().isEmpty()) {
        taken.add(route.name() + " -> " + String.join(", ", targets.destinations()));
        // one delivery per destination, even when several routes name it: the first route's transforms apply
        targets.destinations().forEach(d -> routeOf.putIfAbsent(d, route.name()));
      }
    }
    String notes = problems.isEmpty() ? "" : "; " + String.join("; ", problems);
    if (routeOf.isEmpty()) {
      message.changeStatus(MessageStatus.UNROUTED, "No route matches message type " + message.getMessageType() + notes);
      LOG.info(() -> "Message " + messageId + " (control id " + message.getControlId() + ", " + message.getMessageType() + ") matched no route" + notes);
      return List.of();
    }
    message.changeStatus(MessageStatus.ROUTED, "Routes: " + String.join("; ", taken) + notes);
    List<DeliveryRecord> planned = new ArrayList<>();
    List<DeliveryTask> tasks = new ArrayList<>();
    routeOf.forEach((destination, route) -> {
      planned.add(new DeliveryRecord(messageId, route, destination));
      tasks.add(DeliveryTask.create(messageId, route, destination));
    });
    deliveries.plan(planned);
    return tasks;
  }
}
