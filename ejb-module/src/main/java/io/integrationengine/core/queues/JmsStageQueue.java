package io.integrationengine.core.queues;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link StageQueue} on the broker's {@code jms/engine/RouteQueue}; the body is the message ids,
 * comma-separated.
 *
 * <p>Every caller hands on outside a transaction (the stored rows are the outbox). The senders
 * (a context and its producer) are kept open and reused: the container's injected context lived
 * for one request, so each hand-on opened a session and registered a producer with the broker,
 * about a tenth of the intake's CPU under load. At most {@link #MAX_IDLE} wait between uses; a
 * sender that fails is closed, and a send that failed on a kept sender (the broker restarted
 * since) is tried once more on a new one.
 */
@ApplicationScoped
public class JmsStageQueue implements StageQueue {

  private static final Logger LOG = Logger.getLogger(JmsStageQueue.class.getName());
  static final int MAX_IDLE = 8;

  @Resource(lookup = "jms/engine/ConnectionFactory")
  ConnectionFactory factory;

  @Resource(lookup = "jms/engine/RouteQueue")
  Queue routeQueue;

  private record Sender(JMSContext context, JMSProducer producer) {}

  private final BlockingDeque<Sender> idle = new LinkedBlockingDeque<>();
  private volatile boolean closed;

  @Override
  public void toRouting(List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    String body = String.join(",", messageIds);
    Sender kept = idle.pollFirst();
    if (kept != null) {
      try {
        kept.producer().send(routeQueue, body);
        giveBack(kept);
        return;
      } catch (JMSRuntimeException e) {
        LOG.log(Level.FINE, "a kept sender failed; sending again on a new one", e);
        close(kept);
      }
    }
    Sender fresh = open();
    try {
      fresh.producer().send(routeQueue, body);
    } catch (RuntimeException e) {
      close(fresh);
      throw e;
    }
    giveBack(fresh);
  }

  private Sender open() {
    JMSContext context = factory.createContext();
    try {
      return new Sender(context, context.createProducer());
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  private void giveBack(Sender sender) {
    if (idle.size() >= MAX_IDLE || !idle.offerFirst(sender)) {
      close(sender);
    } else if (closed && idle.remove(sender)) {
      // closeAll ran before or while it was given back
      close(sender);
    }
  }

  private static void close(Sender sender) {
    try {
      sender.context().close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing a sender", e);
    }
  }

  @PreDestroy
  void closeAll() {
    closed = true;
    for (Sender s = idle.pollFirst(); s != null; s = idle.pollFirst()) {
      close(s);
    }
  }
}
