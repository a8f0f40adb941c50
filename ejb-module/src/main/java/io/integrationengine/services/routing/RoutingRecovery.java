package io.integrationengine.services.routing;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.services.MessageStore;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts back on the route queue any message still waiting for routing a minute after it arrived
 * (checked every ten seconds).
 * The routing stage gives up on a message after the broker's redelivery attempts (for example
 * while Redis is down); the message is safe in the store, and this sweep makes sure it is routed
 * once the cause is gone. Routing a message twice is harmless: the router skips messages that are
 * no longer waiting.
 */
@Singleton
@Startup
public class RoutingRecovery {

  private static final Logger LOG = Logger.getLogger(RoutingRecovery.class.getName());
  /** How long a message may wait for routing before it is queued again ({@code engine.routing.recoverAfterSeconds}, default 60). */
  private final Duration staleAfter = EngineSettings.load().routingRecoveryAfter();

  @EJB
  MessageStore store;

  @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false)
  void requeueStale() {
    try {
      List<String> requeued = store.requeueWaitingForRouting(staleAfter, 500);
      if (!requeued.isEmpty()) {
        LOG.warning(() -> "Re-queued " + requeued.size() + " message(s) waiting for routing longer than " + staleAfter.toSeconds() + " s: " + requeued);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not re-queue messages waiting for routing", e);
    }
  }
}
