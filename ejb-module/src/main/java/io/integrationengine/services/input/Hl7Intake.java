package io.integrationengine.services.input;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.MessageStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes one HL7v2 message from a channel, stores it, and says what to answer. The answer is
 * positive only once the message is committed to the store and queued for routing; anything else
 * gets a negative ACK that tells the sender why.
 */
@ApplicationScoped
public class Hl7Intake {

  private static final Logger LOG = Logger.getLogger(Hl7Intake.class.getName());

  @Inject
  Hl7Reader reader;

  @Inject
  Acknowledgements acks;

  @EJB
  MessageStore store;

  /**
   * @param text the message as received
   * @param charset how it was decoded
   * @param channel where it came in ({@code mllp:default})
   * @param remoteAddress who sent it
   * @return the ACK to send back
   */
  public String receive(String text, String charset, String channel, String remoteAddress) {
    StoredMessage message = StoredMessage.received(text, charset, channel, remoteAddress);
    Message parsed;
    try {
      parsed = reader.parse(text);
    } catch (HL7Exception e) {
      return reject(message, text, e);
    }
    message.describe(reader.header(parsed));
    try {
      store.accept(message);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not store message " + message.getControlId() + " from " + remoteAddress + " on " + channel, e);
      return acks.rejected(parsed, AcknowledgmentCode.AR, "The engine could not store the message; resend later");
    }
    return acks.accepted(parsed);
  }

  private String reject(StoredMessage message, String text, HL7Exception error) {
    String reason = Acknowledgements.describe(error);
    try {
      message.describe(reader.header(reader.criticalHeader(text)));
    } catch (HL7Exception | RuntimeException unreadable) {
      // not even the MSH segment is readable: the message is stored without header fields
    }
    try {
      store.storeRejected(message, reason);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not store rejected message from " + message.getRemoteAddress() + " on " + message.getChannel(), e);
      return acks.unparseable(text, new HL7Exception(reason + "; the engine could not store it either: resend later"));
    }
    LOG.info(() -> "Rejected message " + message.getId() + " (control id " + message.getControlId() + ") from " + message.getRemoteAddress() + ": " + reason);
    return acks.unparseable(text, error);
  }
}
