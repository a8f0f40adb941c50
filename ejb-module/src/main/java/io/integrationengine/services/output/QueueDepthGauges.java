package io.integrationengine.services.output;

import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryQueue.Depth;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The gauges {@code engine_queue_depth{destination,state}}: how many tasks of each configured
 * destination are ready, waiting for a retry (delayed), in flight on this instance, held behind a
 * failing task of their key, and dead-lettered. A scrape reads every destination's depths from
 * Redis in one script and reuses them for a second, so one scrape costs one round trip however
 * many gauges it reads. While Redis cannot be read the gauges are NaN: unknown, not zero. The
 * gauges follow the destinations configured (checked every five seconds, as definitions are).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class QueueDepthGauges {

  private static final Logger LOG = Logger.getLogger(QueueDepthGauges.class.getName());
  static final String NAME = "engine_queue_depth";
  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Map<String, ToLongFunction<Depth>> STATES = Map.of(
      "ready", Depth::ready, "delayed", Depth::delayed, "inflight", Depth::inflight, "held", Depth::held, "dead", Depth::dead);

  @Inject
  MetricRegistry registry;

  @Inject
  DestinationRegistry destinations;

  @Inject
  DeliveryQueue queue;

  @Resource
  ManagedScheduledExecutorService scheduler;

  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> sync;

  /** The last read: when, and the depths (null when Redis could not be read). */
  private record Reading(long atNanos, Map<String, Depth> depths) {}

  private volatile Reading last = new Reading(System.nanoTime() - 2 * FRESH_NANOS, null);
  private volatile boolean failing;

  @PostConstruct
  void start() {
    sync = scheduler.scheduleWithFixedDelay(this::follow, 0, 5, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (sync != null) {
      sync.cancel(false);
    }
  }

  /** Registers the gauges of new destinations and removes those of destinations no longer configured. */
  void follow() {
    try {
      Set<String> configured = destinations.destinations().keySet();
      for (String d : configured) {
        if (registered.add(d)) {
          STATES.forEach((state, read) -> registry.gauge(
              Metadata.builder().withName(NAME).withDescription("Delivery tasks per destination and state (inflight: this instance's only)").build(),
              () -> depth(d, read), new Tag("destination", d), new Tag("state", state)));
        }
      }
      for (String d : List.copyOf(registered)) {
        if (!configured.contains(d)) {
          STATES.keySet().forEach(state -> registry.remove(new MetricID(NAME, new Tag("destination", d), new Tag("state", state))));
          registered.remove(d);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not update the queue depth gauges", e);
    }
  }

  private double depth(String destination, ToLongFunction<Depth> state) {
    Map<String, Depth> depths = read().depths();
    Depth depth = depths == null ? null : depths.get(destination);
    return depth == null ? Double.NaN : state.applyAsLong(depth);
  }

  private Reading read() {
    Reading r = last;
    if (System.nanoTime() - r.atNanos() < FRESH_NANOS) {
      return r;
    }
    synchronized (this) {
      r = last;
      if (System.nanoTime() - r.atNanos() < FRESH_NANOS) {
        return r;
      }
      Map<String, Depth> depths = null;
      try {
        depths = queue.depths(List.copyOf(registered));
        if (failing) {
          failing = false;
          LOG.info("Queue depths readable from Redis again");
        }
      } catch (RuntimeException e) {
        if (!failing) {
          failing = true;
          LOG.log(Level.WARNING, "Could not read queue depths from Redis; engine_queue_depth is NaN until it can", e);
        }
      }
      r = new Reading(System.nanoTime(), depths);
      last = r;
      return r;
    }
  }
}
