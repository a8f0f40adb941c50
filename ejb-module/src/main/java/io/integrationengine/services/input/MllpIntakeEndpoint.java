package io.integrationengine.services.input;

import io.integrationengine.mllp.api.MllpInboundMessage;
import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.nio.charset.Charset;

/**
 * What every MLLP intake bean does: hand the frame's bytes to the HL7v2 intake handler and return
 * its ACK. The beans run outside a transaction on purpose: intake commits the store in its own
 * transaction and only then builds the ACK they return, so a sender never sees AA for a message
 * that was not stored. The channel is {@code mllp-<listener>}, shown with the sender's certificate
 * subject when it has one.
 */
// on this class, not only on the beans: a class's transaction attribute applies to the methods it
// declares, and onMessage is declared here (without it, every frame ran in a JTA transaction)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
abstract class MllpIntakeEndpoint implements MllpMessageListener {

  @Inject
  Hl7v2Intake intake;

  @Override
  public String onMessage(MllpInboundMessage message) {
    String channel = "mllp:" + message.listenerName() + (message.peerPrincipal() == null ? "" : " (" + message.peerPrincipal() + ")");
    Received received = new Received(message.payload(), Charset.forName(message.charset()), "mllp-" + message.listenerName(), channel, message.remoteAddress(), message.ackMode());
    return intake.receive(received).reply();
  }
}
