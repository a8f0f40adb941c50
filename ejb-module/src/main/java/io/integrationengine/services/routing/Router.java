package io.integrationengine.services.routing;

import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.PipelineLog;
import io.integrationengine.core.observability.PipelineMetrics;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.services.DatabaseConflicts;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import io.integrationengine.core.observability.MessageTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The routing stage: evaluates every route against stored messages and plans one delivery per
 * destination. The plan (message ROUTED, one PENDING delivery record each) commits first; only
 * then are the tasks handed to the delivery queues, and their records marked QUEUED (in bulk, a
 * moment later). A failure in between leaves PENDING records, which {@link RoutingRecovery} queues
 * later: a task is never queued for a routing that rolled back, and never lost for one that
 * committed.
 */
@ApplicationScoped
public class Router {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  private static final int MARK_BATCH = 500;
  private static final int MAX_BATCH = 200;
  /**
   * How long a routing waits for more messages before it plans a batch that is not full: each
   * routing is a commit, and the store's cost is mostly per commit (H2 writes every B-tree page a
   * commit changed, PostgreSQL flushes its log), so at a few hundred messages a second batches of
   * ten cost a third of batches of three. Delivery picks tasks up every 100 ms, so this adds
   * nothing a destination would see. 25 ms rather than 10 since MLLP intake on H2 no longer waits
   * for routing's commits to write its own (the intake journal): with larger routing and delivery
   * batches (200) the engine used 0.87-0.93 ms of CPU per message instead of 0.97 (docs/benchmarks.md).
   */
  static final long LINGER_NANOS = 25_000_000;

  /** Ids handed to {@link #routeTogether} and not yet taken into a batch. */
  private final List<String> waiting = new ArrayList<>();
  /** Whether a caller of {@link #routeTogether} is routing; guarded by {@link #waiting}. */
  private boolean routing;
  private long lingerNanos = LINGER_NANOS;
  /** Whether the routing is waiting for its batch to fill (for tests). */
  private volatile boolean lingering;

  /**
   * Keys of deliveries whose tasks are queued, waiting to be marked QUEUED; a delivery whose outcome
   * is recorded first ({@link #settled}) is not marked at all.
   */
  private final Set<String> queuedToMark = ConcurrentHashMap.newKeySet();

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

  @Inject
  PipelineMetrics metrics = PipelineMetrics.NONE;

  @Inject
  MessageTracing tracing = MessageTracing.off();

  public Router() {}

  /** For tests. */
  public Router(MessageRepository messages, DeliveryLog deliveries, DeliveryQueue queue, RouteRegistry routes, UnitOfWork work) {
    this.messages = messages;
    this.deliveries = deliveries;
    this.queue = queue;
    this.routes = routes;
    this.work = work;
  }

  /** For tests: how long a routing waits for a batch to fill (0: not at all). */
  void lingerNanos(long nanos) {
    this.lingerNanos = nanos;
  }

  /** Whether a routing is waiting for its batch to fill (for tests). */
  boolean lingering() {
    return lingering;
  }

  /**
   * Routes messages with whatever else arrives meanwhile: the caller that finds no routing running
   * routes everything waiting, batch after batch, until nothing waits; the others return at once.
   * Before each batch it waits up to {@link #LINGER_NANOS} for the batch to fill.
   * Ids waiting in memory are not lost by a crash: their messages are still stored as waiting for
   * routing, and {@link RoutingRecovery} hands them on again. So the routing stage commits once per
   * batch however many requests the broker delivers at once.
   */
  public void routeTogether(List<String> messageIds) {
    synchronized (waiting) {
      waiting.addAll(messageIds);
      if (routing) {
        if (waiting.size() >= MAX_BATCH) {
          waiting.notifyAll();
        }
        return;
      }
      routing = true;
    }
    while (true) {
      List<String> batch;
      synchronized (waiting) {
        linger();
        if (waiting.isEmpty()) {
          routing = false;
          return;
        }
        int size = Math.min(waiting.size(), MAX_BATCH);
        batch = new ArrayList<>(waiting.subList(0, size));
        waiting.subList(0, size).clear();
      }
      try {
        route(batch);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not route " + batch.size() + " message(s) (database unreachable?); routing recovery tries again: " + batch, e);
      } catch (Error e) {
        synchronized (waiting) {
          routing = false;
        }
        throw e;
      }
    }
  }

  /** Waits, holding {@link #waiting}'s monitor, until a batch is full or the linger is over. */
  private void linger() {
    long until = System.nanoTime() + lingerNanos;
    long left;
    try {
      while (!waiting.isEmpty() && waiting.size() < MAX_BATCH && (left = until - System.nanoTime()) > 0) {
        lingering = true;
        waiting.wait(left / 1_000_000, (int) (left % 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lingering = false;
    }
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
      Tally tally = new Tally();
      tasks = work.inNewTransaction(() -> plan(messageIds, tally));
      tally.count(metrics);
    } catch (RuntimeException batchFailed) {
      if (messageIds.size() == 1) {
        throw batchFailed;
      }
      tasks = new ArrayList<>();
      int failed = 0;
      for (String id : messageIds) {
        try {
          Tally tally = new Tally();
          tasks.addAll(work.inNewTransaction(() -> plan(List.of(id), tally)));
          tally.count(metrics);
        } catch (RuntimeException e) {
          failed++;
          PipelineLog.log(LOG, Level.WARNING, "Could not route message " + id + "; routing recovery tries again", PipelineLog.context(id, null, null, null, null), e);
        }
      }
      if (failed == messageIds.size()) {
        throw batchFailed;
      }
    }
    hand(tasks);
  }

  /**
   * Queues tasks whose records are planned. Their records are marked queued later, many in one
   * statement ({@link #markQueued}): until then a record says PENDING, and only a crash before the
   * marking makes routing recovery queue a task a second time, which delivery then skips as done.
   */
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
    tasks.forEach(t -> queuedToMark.add(DeliveryRecord.key(t.messageId(), t.destination())));
  }

  /**
   * Deliveries whose outcome (delivered, retrying, dead) is recorded: they need no QUEUED mark,
   * which would change nothing (only a PENDING record is marked). Under load most deliveries are
   * done before the next marking, which then has little or nothing to update.
   */
  public void settled(Collection<String> keys) {
    keys.forEach(queuedToMark::remove);
  }

  /** Marks the deliveries queued since the last call QUEUED, in statements of up to {@value #MARK_BATCH}; returns how many. */
  public int markQueued() {
    int marked = 0;
    List<String> keys = new ArrayList<>(MARK_BATCH);
    while (true) {
      keys.clear();
      for (Iterator<String> it = queuedToMark.iterator(); it.hasNext() && keys.size() < MARK_BATCH;) {
        keys.add(it.next());
        it.remove();
      }
      if (keys.isEmpty()) {
        return marked;
      }
      try {
        DatabaseConflicts.retried("Marking " + keys.size() + " deliveries QUEUED", () -> {
          deliveries.markQueued(keys);
          return null;
        });
        marked += keys.size();
      } catch (RuntimeException e) {
        // left PENDING: recovery may queue them again, and the worker skips a delivery already done
        LOG.log(Level.WARNING, "Could not mark " + keys.size() + " queued deliveries as QUEUED (database unreachable?)", e);
        return marked;
      }
    }
  }

  private static String messagesOf(List<DeliveryTask> tasks) {
    List<String> ids = tasks.stream().map(DeliveryTask::messageId).distinct().toList();
    return ids.size() == 1 ? "message " + ids.get(0) : ids.size() + " messages " + (ids.size() <= 10 ? ids : ids.subList(0, 10) + "...");
  }

  /** What one routing transaction decided, counted only once it has committed, and only for the messages it saved. */
  private static final class Tally {
    /** Per message, the routes that took it; none: unrouted. */
    final Map<String, List<String>> routes = new LinkedHashMap<>();
    Set<String> saved = Set.of();

    void count(PipelineMetrics metrics) {
      routes.forEach((id, names) -> {
        if (!saved.contains(id)) {
          return;
        }
        if (names.isEmpty()) {
          metrics.unrouted();
        } else {
          names.forEach(metrics::routed);
        }
      });
    }
  }

  private List<DeliveryTask> plan(List<String> messageIds, Tally tally) {
    List<StoredMessage> found = messages.findAllRecent(messageIds);
    if (found.size() < messageIds.size()) {
      List<String> missing = new ArrayList<>(messageIds);
      found.forEach(m -> missing.remove(m.getId()));
      LOG.warning(() -> "Messages to route are not in the store (rolled back after being queued?): " + missing);
    }
    List<DeliveryRecord> planned = new ArrayList<>();
    List<DeliveryTask> tasks = new ArrayList<>();
    List<StoredMessage> decided = new ArrayList<>();
    for (StoredMessage message : found) {
      if (plan(message, planned, tasks, tally)) {
        decided.add(message);
      }
    }
    // only what is still waiting for routing: another routing of the same message (recovery's) may have won
    Set<String> saved = messages.saveStatuses(decided, MessageStatus.RECEIVED);
    if (saved.size() < decided.size()) {
      List<String> lost = decided.stream().map(StoredMessage::getId).filter(id -> !saved.contains(id)).toList();
      LOG.fine(() -> "Routed meanwhile by another routing, not routed again: " + lost);
      planned.removeIf(record -> !saved.contains(record.getMessageId()));
      tasks.removeIf(task -> !saved.contains(task.messageId()));
    }
    tally.saved = saved;
    deliveries.plan(planned);
    return tasks;
  }

  /** Plans the message's deliveries and changes its status; false if it is not waiting for routing. */
  private boolean plan(StoredMessage message, List<DeliveryRecord> planned, List<DeliveryTask> tasks, Tally tally) {
    Span span = tracing.stage(message, "route", SpanKind.INTERNAL);
    try {
      if (!planRoutes(message, planned, tasks, tally)) {
        return false;
      }
      span.setAttribute("engine.status", message.getStatus().name());
      span.setAttribute("engine.status_detail", message.getStatusDetail() == null ? "" : message.getStatusDetail());
      return true;
    } finally {
      span.end();
    }
  }

  private boolean planRoutes(StoredMessage message, List<DeliveryRecord> planned, List<DeliveryTask> tasks, Tally tally) {
    String messageId = message.getId();
    if (message.getStatus() != MessageStatus.RECEIVED) {
      PipelineLog.log(LOG, Level.FINE, "Message " + messageId + " already " + message.getStatus() + "; not routed again", context(message, null));
      return false;
    }
    List<String> routeNames = new ArrayList<>();
    tally.routes.put(messageId, routeNames);
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
        routeNames.add(route.name());
        // one delivery per destination, even when several routes name it: the first route's transforms and order apply
        targets.destinations().forEach(d -> routeOf.putIfAbsent(d, route));
      }
    }
    String notes = problems.isEmpty() ? "" : "; " + String.join("; ", problems);
    if (routeOf.isEmpty()) {
      message.changeStatus(MessageStatus.UNROUTED, "No route matches message type " + message.getMessageType() + notes);
      PipelineLog.log(LOG, Level.INFO, "Message " + messageId + " (control id " + message.getControlId() + ", " + message.getMessageType() + ") matched no route" + notes,
          context(message, null));
      return true;
    }
    message.changeStatus(MessageStatus.ROUTED, "Routes: " + String.join("; ", taken) + notes);
    routeOf.forEach((destination, route) -> {
      DeliveryTask task = DeliveryTask.create(messageId, route.name(), destination, orderKey(route, view, message));
      planned.add(new DeliveryRecord(messageId, route.name(), destination, task.orderKey()));
      tasks.add(task);
    });
    return true;
  }

  private static java.util.Map<String, String> context(StoredMessage message, String route) {
    return PipelineLog.context(message.getId(), message.getControlId(), message.getChannel(), route, null);
  }

  private static String orderKey(RouteDefinition route, StoredMessageView view, StoredMessage message) {
    try {
      return route.orderKey(view);
    } catch (RuntimeException e) {
      PipelineLog.log(LOG, Level.WARNING, "Route '" + route.name() + "' could not read the ordering key " + route.orderBy() + " of message " + message.getId()
          + "; delivered unordered: " + e.getMessage(), context(message, route.name()));
      return null;
    }
  }
}
