package io.integrationengine.services.input;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.StageQueue;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What every intake handler does with a message it has read: store it and hand it to the routing
 * stage in one transaction that commits before the handler answers, or store it as rejected.
 */
@ApplicationScoped
public class MessageIntake {

  @Inject
  MessageRepository messages;

  @Inject
  StageQueue stages;

  @Inject
  UnitOfWork work;

  public MessageIntake() {}

  /** For tests. */
  public MessageIntake(MessageRepository messages, StageQueue stages, UnitOfWork work) {
    this.messages = messages;
    this.stages = stages;
    this.work = work;
  }

  /** Stores the message and queues it for routing; both or neither. Throws when it could not. */
  public void accept(StoredMessage message) {
    work.inNewTransaction(() -> {
      messages.add(message);
      stages.toRouting(message.getId());
      return null;
    });
  }

  /** Stores a message refused at intake, with the reasons; it is kept for inspection and not processed. Throws when it could not. */
  public void reject(StoredMessage message, String reasons) {
    message.changeStatus(MessageStatus.REJECTED, reasons);
    work.inNewTransaction(() -> {
      messages.add(message);
      return null;
    });
  }
}
