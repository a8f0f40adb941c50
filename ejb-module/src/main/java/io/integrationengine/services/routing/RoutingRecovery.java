package io.integrationengine.services.routing;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.core.queues.StageQueue;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every ten seconds, finishes what a stage left half done, once it has waited longer than
 * {@code engine.routing.recoverAfterSeconds} (default 60):
 *
 * <ul>
 *   <li>a message still waiting for routing (never handed on because the broker was away or the
 *       server died right after storing it, or the routing stage gave up after the broker's
 *       redeliveries, e.g. while Redis was down) goes back on the route queue; each re-send
 *       restarts its wait, so it is re-sent once per period, by one instance;
 *   <li>a planned delivery whose task never reached its queue (Redis failed right after routing
 *       committed) is queued.
 * </ul>
 *
 * Both are safe to repeat: the router skips messages no longer waiting, the delivery worker skips
 * deliveries already done.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RoutingRecovery {

  private static final Logger LOG = Logger.getLogger(RoutingRecovery.class.getName());
  private static final int HAND_ON_BATCH = 100;
  private final Duration staleAfter = EngineSettings.load().routingRecoveryAfter();

  @Inject
  MessageRepository messages;

  @Inject
  DeliveryLog deliveries;

  @Inject
  StageQueue stages;

  @Inject
  UnitOfWork work;

  @Inject
  Router router;

  /** Marks queued deliveries QUEUED, in bulk, every second. */
  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void markQueued() {
    router.markQueued();
  }

  @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false)
  void sweep() {
    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(staleAfter);
    try {
      // claimed in a transaction of its own, handed on after it commits: a send that fails is retried next period
      List<String> requeued = work.inNewTransaction(() -> messages.claimWaitingForRouting(before, 500));
      for (int from = 0; from < requeued.size(); from += HAND_ON_BATCH) {
        stages.toRouting(requeued.subList(from, Math.min(requeued.size(), from + HAND_ON_BATCH)));
      }
      if (!requeued.isEmpty()) {
        LOG.warning(() -> "Re-queued " + requeued.size() + " message(s) waiting for routing longer than " + staleAfter.toSeconds() + " s: " + requeued);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not re-queue messages waiting for routing", e);
    }
    try {
      List<DeliveryRecord> pending = deliveries.pendingSince(before, 500);
      if (!pending.isEmpty()) {
        LOG.warning(() -> "Queueing " + pending.size() + " planned delivery task(s) that never reached their queue");
        router.hand(pending.stream().map(d -> DeliveryTask.create(d.getMessageId(), d.getRoute(), d.getDestination(), d.getOrderKey())).toList());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not queue planned deliveries", e);
    }
  }
}
