package io.integrationengine.core.queues;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.util.List;

/** {@link StageQueue} on the broker's {@code jms/engine/RouteQueue}; the body is the message ids, comma-separated. */
@ApplicationScoped
public class JmsStageQueue implements StageQueue {

  @Inject
  @JMSConnectionFactory("jms/engine/ConnectionFactory")
  JMSContext jms;

  @Resource(lookup = "jms/engine/RouteQueue")
  Queue routeQueue;

  @Override
  public void toRouting(List<String> messageIds) {
    if (!messageIds.isEmpty()) {
      jms.createProducer().send(routeQueue, String.join(",", messageIds));
    }
  }
}
