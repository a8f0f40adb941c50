package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.config.Definitions;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Runs {@link AlertEvaluation} every five seconds on a container timer (not persistent: a missed
 * round is simply the next one), outside any transaction: each change to the store commits on its
 * own, and notifications are sent outside transactions, so a slow mail server or webhook delays
 * only the alerts, never the pipeline. A round still running when the next is due makes that one
 * skip. Also the gauge {@code engine_alerts_open}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AlertScheduler {

  private static final Logger LOG = Logger.getLogger(AlertScheduler.class.getName());

  @Inject
  AlertRules rules;

  @Inject
  AlertStore store;

  @Inject
  AlertFacts facts;

  @Inject
  @Any
  Instance<AlertNotifier> notifiers;

  @Inject
  MetricRegistry registry;

  private AlertEvaluation evaluation;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile int open;
  private volatile boolean failing;

  @PostConstruct
  void start() {
    List<AlertNotifier> all = new ArrayList<>();
    notifiers.forEach(all::add);
    evaluation = new AlertEvaluation(store, facts, all, engineName());
    registry.gauge(Metadata.builder().withName("engine_alerts_open").withDescription("Alerts open now (GET /api/alerts)").build(), () -> open);
  }

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
  void tick() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      Definitions.Snapshot<AlertRule> snapshot = rules.current();
      Instant now = Instant.now();
      open = evaluation.evaluate(snapshot.valid().values(), snapshot.invalid().keySet(), now);
      evaluation.sendNotifications(now);
      if (failing) {
        failing = false;
        LOG.info("Alert rules checked again");
      }
    } catch (RuntimeException e) {
      // the store or Redis is away: readiness says so; alerts wait for the next round
      if (!failing) {
        failing = true;
        LOG.log(Level.WARNING, "Could not check the alert rules; trying again every 5 s", e);
      }
    } finally {
      running.set(false);
    }
  }

  /** The host and Payara instance, as notifications name the engine. */
  private static String engineName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "localhost";
    }
    String instance = System.getProperty("com.sun.aas.instanceName");
    return instance == null ? host : host + "/" + instance;
  }
}
