package io.integrationengine.services.input.file;

import io.integrationengine.core.queues.StageQueue;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands a committed chunk's messages to the routing stage, after the commit and outside any
 * transaction, as {@code MessageIntake} does for MLLP: the stored rows are the outbox, and if the
 * send fails (or the server dies first) routing recovery sends them later.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RoutingHandOn {

  private static final Logger LOG = Logger.getLogger(RoutingHandOn.class.getName());

  @Inject
  StageQueue stages;

  @Asynchronous
  public void toRouting(String fileId, List<String> messageIds) {
    try {
      stages.toRouting(messageIds);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, messageIds.size() + " record(s) of file " + fileId + " are stored but could not be queued for routing now; routing recovery queues them later", e);
    }
  }
}
