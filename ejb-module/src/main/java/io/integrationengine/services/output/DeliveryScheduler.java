package io.integrationengine.services.output;

import io.integrationengine.core.queues.DeliveryQueue;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps delivery going: a short periodic tick recovers this instance's unfinished tasks (once per
 * destination after a start), moves due retries back to their lanes, and starts a drain of every
 * lane that has ready tasks and is not already draining. One drain per lane at a time keeps each
 * ordering key's order; lanes and destinations drain in parallel on the managed executor.
 */
@Singleton
@Startup
@DependsOn("RedisConnection")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class DeliveryScheduler {

  private static final Logger LOG = Logger.getLogger(DeliveryScheduler.class.getName());
  private static final long TICK_MILLIS = 100;
  private static final int BATCH = 200;

  @Resource
  ManagedScheduledExecutorService scheduler;

  @Resource
  ManagedExecutorService executor;

  @Inject
  DestinationRegistry registry;

  @Inject
  DeliveryQueue queues;

  @Inject
  DeliveryWorker worker;

  private final Set<String> draining = ConcurrentHashMap.newKeySet();
  private final Set<String> recovered = ConcurrentHashMap.newKeySet();
  /** Destinations whose last drain failed: logged once when it starts failing and once when it recovers. */
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  /** When the last tick began (System.nanoTime), for the liveness check. */
  private volatile long lastTickNanos = System.nanoTime();
  private ScheduledFuture<?> tick;

  @PostConstruct
  void start() {
    tick = scheduler.scheduleWithFixedDelay(this::tick, 1000, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (stopping) {
      return;
    }
    lastTickNanos = System.nanoTime();
    Map<String, DestinationDefinition> destinations;
    try {
      destinations = registry.destinations();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not read destinations", e);
      return;
    }
    destinations.forEach((destination, definition) -> {
      List<Integer> busy;
      try {
        busy = queues.promoteDue(destination);
      } catch (RuntimeException e) {
        interrupted(destination, e);
        return;
      }
      int workers = definition.concurrency();
      for (int w = 0; w < workers; w++) {
        List<Integer> lanes = new ArrayList<>();
        for (int lane = w; lane < DeliveryQueue.LANES; lane += workers) {
          lanes.add(lane);
        }
        // lanes not recovered since the start (or a failed drain) are drained to recover them, even with nothing ready
        boolean work = lanes.stream().anyMatch(l -> busy.contains(l) || !recovered.contains(destination + "#" + l));
        if (work && own(destination, lanes)) {
          try {
            executor.execute(() -> drain(destination, lanes));
          } catch (RuntimeException e) {
            release(destination, lanes);
            LOG.log(Level.WARNING, "Could not start delivery to " + destination, e);
          }
        }
      }
    });
  }

  /** How long ago the last tick began, in milliseconds; ticks run every {@value #TICK_MILLIS} ms while delivery is alive. */
  public long millisSinceLastTick() {
    return (System.nanoTime() - lastTickNanos) / 1_000_000;
  }

  /** Takes the lanes for one drain, all or none: a lane is never drained by two workers at once, even while the concurrency changes. */
  private boolean own(String destination, List<Integer> lanes) {
    List<String> taken = new ArrayList<>();
    for (int lane : lanes) {
      if (!draining.add(destination + "#" + lane)) {
        taken.forEach(draining::remove);
        return false;
      }
      taken.add(destination + "#" + lane);
    }
    return true;
  }

  private void release(String destination, List<Integer> lanes) {
    lanes.forEach(lane -> draining.remove(destination + "#" + lane));
  }

  private void drain(String destination, List<Integer> lanes) {
    try {
      for (int lane : lanes) {
        if (!recovered.contains(destination + "#" + lane)) {
          int count = queues.recoverInflight(destination, lane);
          recovered.add(destination + "#" + lane);
          if (count > 0) {
            LOG.info(() -> "Recovered " + count + " unfinished delivery task(s) of " + destination + ", lane " + lane);
          }
        }
      }
      int handled;
      do {
        handled = stopping ? 0 : worker.drain(destination, lanes, BATCH);
      } while (handled >= BATCH);
      if (failing.remove(destination)) {
        LOG.info(() -> "Delivery to " + destination + " resumed");
      }
    } catch (RuntimeException e) {
      // what this drain had in flight is recovered, and delivered again unless recorded as done
      lanes.forEach(lane -> recovered.remove(destination + "#" + lane));
      interrupted(destination, e);
    } finally {
      release(destination, lanes);
    }
  }

  private void interrupted(String destination, RuntimeException e) {
    if (failing.add(destination)) {
      LOG.log(Level.WARNING, "Delivery to " + destination + " interrupted (Redis or the database unreachable?); retrying every " + TICK_MILLIS + " ms: " + e.getMessage(), e);
    } else {
      LOG.log(Level.FINE, "Delivery to " + destination + " still interrupted", e);
    }
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (tick != null) {
      tick.cancel(false);
    }
  }
}
