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
  private ScheduledFuture<?> tick;

  @PostConstruct
  void start() {
    tick = scheduler.scheduleWithFixedDelay(this::tick, 1000, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (stopping) {
      return;
    }
    Map<String, ?> destinations;
    try {
      destinations = registry.destinations();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not read destinations", e);
      return;
    }
    for (String destination : destinations.keySet()) {
      List<Integer> busy;
      try {
        busy = queues.promoteDue(destination);
      } catch (RuntimeException e) {
        interrupted(destination, e);
        continue;
      }
      for (int lane = 0; lane < DeliveryQueue.LANES; lane++) {
        String drain = destination + "#" + lane;
        // a lane not recovered since the start (or a failed drain) is drained to recover it, even with nothing ready
        if ((busy.contains(lane) || !recovered.contains(drain)) && draining.add(drain)) {
          int l = lane;
          try {
            executor.execute(() -> drain(destination, l, drain));
          } catch (RuntimeException e) {
            draining.remove(drain);
            LOG.log(Level.WARNING, "Could not start delivery to " + destination, e);
          }
        }
      }
    }
  }

  private void drain(String destination, int lane, String drain) {
    try {
      if (!recovered.contains(drain)) {
        int count = queues.recoverInflight(destination, lane);
        recovered.add(drain);
        if (count > 0) {
          LOG.info(() -> "Recovered " + count + " unfinished delivery task(s) of " + destination + ", lane " + lane);
        }
      }
      int handled;
      do {
        handled = stopping ? 0 : worker.drain(destination, lane, BATCH);
      } while (handled >= BATCH);
      if (failing.remove(destination)) {
        LOG.info(() -> "Delivery to " + destination + " resumed");
      }
    } catch (RuntimeException e) {
      // what this drain had in flight is recovered, and delivered again unless recorded as done
      recovered.remove(drain);
      interrupted(destination, e);
    } finally {
      draining.remove(drain);
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
