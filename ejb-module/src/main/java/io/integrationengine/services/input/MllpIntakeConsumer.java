package io.integrationengine.services.input;

import io.integrationengine.mllp.api.MllpInboundMessage;
import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Consumes HL7v2 messages from the MLLP resource adapter's default listener. It runs outside a
 * transaction on purpose: intake commits the store in its own transaction and only then builds
 * the ACK this method returns, so the sender never sees AA for a message that was not stored.
 */
@MessageDriven(
    name = "MllpIntakeConsumer",
    messageListenerInterface = MllpMessageListener.class,
    activationConfig = {
      @ActivationConfigProperty(propertyName = "listenerName", propertyValue = "default"),
      @ActivationConfigProperty(propertyName = "port", propertyValue = "${engine.mllp.port:2575}"),
      @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${engine.mllp.bind:127.0.0.1}"),
      @ActivationConfigProperty(propertyName = "charset", propertyValue = "${engine.mllp.charset:UTF-8}")
    })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MllpIntakeConsumer implements MllpMessageListener {

  @Inject
  Hl7Intake intake;

  @Override
  public String onMessage(MllpInboundMessage message) {
    return intake.receive(message.text(), message.charset(), "mllp:" + message.listenerName(), message.remoteAddress());
  }
}
