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
    route(List.of(messageId));
  }

  /**
   * Routes messages together: one transaction plans them all, one call queues their tasks, one
   * statement marks them queued. If the batch fails, each message is routed on its own, so one
   * message the store refuses never holds back the others; a message that still fails stays
   * waiting for routing recovery. Throws only when none could be routed.
   */
  public void route(List<String> messageIds) {
    List<DeliveryTask> tasks;
    try {
      tasks = work.inNewTransaction(() -> plan(messageIds));
    } catch (RuntimeException batchFailed) {
      if (messageIds.size() == 1) {
        throw batchFailed;
      }
      tasks = new ArrayList<>();
      int failed = 0;
      for (String id : messageIds) {
        try {
          tasks.addAll(work.inNewTransaction(() -> plan(List.of(id))));
        } catch (RuntimeException e) {
          failed++;
          LOG.log(Level.WARNING, "Could not route message " + id + "; routing recovery tries again", e);
        }
      }
      if (failed == messageIds.size()) {
        throw batchFailed;
      }
    }
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
      LOG.log(Level.WARNING, "Could not queue " + tasks.size() + " delivery task(s) of " + messagesOf(tasks)
          + " (Redis unreachable?); routing recovery queues them later", e);
      return;
    }
    try {
      deliveries.markQueued(tasks.stream().map(t -> DeliveryRecord.key(t.messageId(), t.destination())).toList());
    } catch (RuntimeException e) {
      // the tasks are queued; recovery may queue them again, and the worker skips a delivery already done
      LOG.log(Level.WARNING, "Could not mark the deliveries of " + messagesOf(tasks) + " queued", e);
    }
  }

  private static String messagesOf(List<DeliveryTask> tasks) {
    List<String> ids = tasks.stream().map(DeliveryTask::messageId).distinct().toList();
    return ids.size() == 1 ? "message " + ids.get(0) : ids.size() + " messages " + (ids.size() <= 10 ? ids : ids.subList(0, 10) + "...");
  }

  private List<DeliveryTask> plan(List<String> messageIds) {
    List<StoredMessage> found = messages.findAll(messageIds);
    if (found.size() < messageIds.size()) {
      List<String> missing = new ArrayList<>(messageIds);
      found.forEach(m -> missing.remove(m.getId()));
      LOG.warning(() -> "Messages to route are not in the store (rolled back after being queued?): " + missing);
    }
    List<DeliveryRecord> planned = new ArrayList<>();
    List<DeliveryTask> tasks = new ArrayList<>();
    for (StoredMessage message : found) {
      plan(message, planned, tasks);
    }
    deliveries.plan(planned);
    return tasks;
  }

  private void plan(StoredMessage message, List<DeliveryRecord> planned, List<DeliveryTask> tasks) {
    String messageId = message.getId();
    if (message.getStatus() != MessageStatus.RECEIVED) {
      LOG.fine(() -> "Message " + messageId + " already " + message.getStatus() + "; not routed again");
      return;
    }
    StoredMessageView view = new StoredMessageView(message);
    Map<String, RouteDefinition> routeOf = new LinkedHashMap<>();
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
        // one delivery per destination, even when several routes name it: the first route's transforms and order apply
        targets.destinations().forEach(d -> routeOf.putIfAbsent(d, route));
      }
    }
    String notes = problems.isEmpty() ? "" : "; " + String.join("; ", problems);
    if (routeOf.isEmpty()) {
      message.changeStatus(MessageStatus.UNROUTED, "No route matches message type " + message.getMessageType() + notes);
      LOG.info(() -> "Message " + messageId + " (control id " + message.getControlId() + ", " + message.getMessageType() + ") matched no route" + notes);
      return;
    }
    message.changeStatus(MessageStatus.ROUTED, "Routes: " + String.join("; ", taken) + notes);
    routeOf.forEach((destination, route) -> {
      DeliveryTask task = DeliveryTask.create(messageId, route.name(), destination, orderKey(route, view, message));
      planned.add(new DeliveryRecord(messageId, route.name(), destination, task.orderKey()));
      tasks.add(task);
    });
  }

  private static String orderKey(RouteDefinition route, StoredMessageView view, StoredMessage message) {
    try {
      return route.orderKey(view);
    } catch (RuntimeException e) {
      LOG.warning(() -> "Route '" + route.name() + "' could not read the ordering key " + route.orderBy() + " of message " + message.getId() + "; delivered unordered: " + e.getMessage());
      return null;
    }
  }
}
