package io.integrationengine.core.queues;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
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
 * (a connection, its session and a producer for the route queue) are kept open and reused: the
 * container's injected context lived for one request, so each hand-on opened a session and
 * registered a producer with the broker, about a tenth of the intake's CPU under load. The producer
 * is made for the queue (the classic API): OpenMQ registers a producer without a destination
 * (a {@code JMSContext}'s) with the broker again at every send, 2.4% of the engine's CPU samples
 * at 720 msg/s. At most {@link #MAX_IDLE} wait between uses; a
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

  private record Sender(Connection connection, Session session, MessageProducer producer) {

    void send(String body) throws JMSException {
      producer.send(session.createTextMessage(body));
    }
  }

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
        kept.send(body);
        giveBack(kept);
        return;
      } catch (JMSException | JMSRuntimeException e) {
        LOG.log(Level.FINE, "a kept sender failed; sending again on a new one", e);
        close(kept);
      }
    }
    Sender fresh = open();
    try {
      fresh.send(body);
    } catch (JMSException e) {
      close(fresh);
      throw unchecked(e);
    } catch (RuntimeException e) {
      close(fresh);
      throw e;
    }
    giveBack(fresh);
  }

  private Sender open() {
    Connection connection;
    try {
      connection = factory.createConnection();
    } catch (JMSException e) {
      throw unchecked(e);
    }
    try {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      return new Sender(connection, session, session.createProducer(routeQueue));
    } catch (JMSException e) {
      closeQuietly(connection);
      throw unchecked(e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static JMSRuntimeException unchecked(JMSException e) {
    return new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
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
    closeQuietly(sender.connection());
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (JMSException | RuntimeException e) {
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
