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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps delivery going: a short periodic tick moves due retries back to their queues and starts a
 * drain of every destination that is not already draining. One drain per destination at a time
 * keeps each destination's order; destinations drain in parallel on the managed executor.
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
      if (draining.add(destination)) {
        try {
          executor.execute(() -> drain(destination));
        } catch (RuntimeException e) {
          draining.remove(destination);
          LOG.log(Level.WARNING, "Could not start delivery to " + destination, e);
        }
      }
    }
  }

  private void drain(String destination) {
    try {
      if (recovered.add(destination)) {
        int count = queues.recoverInflight(destination);
        if (count > 0) {
          LOG.info(() -> "Recovered " + count + " unfinished delivery task(s) of " + destination);
        }
      }
      queues.promoteDue(destination);
      int handled;
      do {
        handled = stopping ? 0 : worker.drain(destination, BATCH);
      } while (handled == BATCH);
      if (failing.remove(destination)) {
        LOG.info(() -> "Delivery to " + destination + " resumed");
      }
    } catch (RuntimeException e) {
      recovered.remove(destination);
      if (failing.add(destination)) {
        LOG.log(Level.WARNING, "Delivery to " + destination + " interrupted (Redis unreachable?); retrying every " + TICK_MILLIS + " ms: " + e.getMessage(), e);
      } else {
        LOG.log(Level.FINE, "Delivery to " + destination + " still interrupted", e);
      }
    } finally {
      draining.remove(destination);
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
