package io.integrationengine.services.input;

import io.integrationengine.mllp.api.MllpInboundMessage;
import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.inject.Inject;

/**
 * What every MLLP intake bean does: hand the message to {@link Hl7Intake}. The beans run outside a
 * transaction on purpose: intake commits the store in its own transaction and only then builds the
 * ACK they return, so a sender never sees AA for a message that was not stored.
 */
abstract class MllpIntakeEndpoint implements MllpMessageListener {

  @Inject
  Hl7Intake intake;

  @Override
  public String onMessage(MllpInboundMessage message) {
    String channel = "mllp:" + message.listenerName() + (message.peerPrincipal() == null ? "" : " (" + message.peerPrincipal() + ")");
    return intake.receive(new InboundMessage(message.text(), message.charset(), channel, message.remoteAddress(), message.ackMode()));
  }
}
