package io.integrationengine.services.input;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import io.integrationengine.core.model.MessageHeader;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.MessageStore;
import io.integrationengine.services.input.AckPolicy.Outcome;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes one HL7v2 message from a channel, stores it, and says what to answer. The answer is
 * positive only once the message is committed to the store and queued for routing; anything else
 * gets a negative ACK that tells the sender why. A resend of a message already stored (same
 * sender, same MSH-10, within the duplicate window) is acknowledged again and not processed twice.
 */
@ApplicationScoped
public class Hl7Intake {

  private static final Logger LOG = Logger.getLogger(Hl7Intake.class.getName());

  @Inject
  Hl7Reader reader;

  @Inject
  Acknowledgements acks;

  @Inject
  DuplicateGuard duplicates;

  @EJB
  MessageStore store;

  /** @return the ACK to send back, or null when the sender asked for none */
  public String receive(InboundMessage in) {
    StoredMessage message = StoredMessage.received(in.text(), in.charset(), in.channel(), in.remoteAddress());
    Message parsed;
    try {
      parsed = reader.parse(in.text());
    } catch (HL7Exception e) {
      return reject(message, in, e);
    }
    MessageHeader header = reader.header(parsed);
    message.describe(header);
    AckPolicy policy = AckPolicy.of(in.ackMode(), header.acceptAckType(), header.applicationAckType());

    DuplicateGuard.Verdict verdict = duplicates.claim(header.sendingApplication(), header.sendingFacility(), header.controlId(), message.getId());
    if (verdict instanceof DuplicateGuard.AlreadyStored stored) {
      LOG.info(() -> "Control id " + header.controlId() + " from " + header.sendingApplication() + "/" + header.sendingFacility()
          + " was stored as message " + stored.messageId() + " already; acknowledged again, not processed");
      return answer(policy, Outcome.ACCEPTED, () -> acks.accepted(parsed, policy.code(Outcome.ACCEPTED)));
    }
    if (verdict instanceof DuplicateGuard.InProgress pending) {
      return answer(policy, Outcome.REJECTED, () -> acks.rejected(parsed, policy.code(Outcome.REJECTED),
          "Control id " + header.controlId() + " is being stored from an earlier send; resend later"));
    }
    DuplicateGuard.First claim = (DuplicateGuard.First) verdict;
    try {
      store.accept(message);
    } catch (RuntimeException e) {
      duplicates.forget(claim, message.getId());
      LOG.log(Level.SEVERE, "Could not store message " + message.getControlId() + " from " + in.remoteAddress() + " on " + in.channel(), e);
      return answer(policy, Outcome.REJECTED, () -> acks.rejected(parsed, policy.code(Outcome.REJECTED), "The engine could not store the message; resend later"));
    }
    duplicates.stored(claim, message.getId());
    return answer(policy, Outcome.ACCEPTED, () -> acks.accepted(parsed, policy.code(Outcome.ACCEPTED)));
  }

  private String reject(StoredMessage message, InboundMessage in, HL7Exception error) {
    String reason = Acknowledgements.describe(error);
    AckPolicy policy = AckPolicy.of(in.ackMode(), null, null);
    try {
      MessageHeader header = reader.header(reader.criticalHeader(in.text()));
      message.describe(header);
      policy = AckPolicy.of(in.ackMode(), header.acceptAckType(), header.applicationAckType());
    } catch (HL7Exception | RuntimeException unreadable) {
      // not even the MSH segment is readable: stored without header fields, answered in original mode
    }
    AckPolicy chosen = policy;
    try {
      store.storeRejected(message, reason);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not store rejected message from " + message.getRemoteAddress() + " on " + message.getChannel(), e);
      return answer(chosen, Outcome.REJECTED, () -> acks.unparseable(in.text(), chosen.code(Outcome.REJECTED),
          new HL7Exception(reason + "; the engine could not store it either: resend later")));
    }
    LOG.info(() -> "Rejected message " + message.getId() + " (control id " + message.getControlId() + ") from " + message.getRemoteAddress() + ": " + reason);
    return answer(chosen, Outcome.CONTENT_ERROR, () -> acks.unparseable(in.text(), chosen.code(Outcome.CONTENT_ERROR), error));
  }

  private static String answer(AckPolicy policy, Outcome outcome, java.util.function.Supplier<String> ack) {
    return policy.answers(outcome) ? ack.get() : null;
  }
}
