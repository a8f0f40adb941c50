package io.integrationengine.services.input;

import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The default MLLP listener (plain TCP). Every setting comes from a system property of the domain
 * with the adapter's default; see docs/mllp.md.
 */
@MessageDriven(
    name = "MllpIntakeConsumer",
    messageListenerInterface = MllpMessageListener.class,
    activationConfig = {
      @ActivationConfigProperty(propertyName = "listenerName", propertyValue = "default"),
      @ActivationConfigProperty(propertyName = "port", propertyValue = "${engine.mllp.port:2575}"),
      @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${engine.mllp.bind:127.0.0.1}"),
      @ActivationConfigProperty(propertyName = "charset", propertyValue = "${engine.mllp.charset:auto}"),
      @ActivationConfigProperty(propertyName = "ackMode", propertyValue = "${engine.mllp.ackMode:auto}"),
      @ActivationConfigProperty(propertyName = "maxFrameBytes", propertyValue = "${engine.mllp.maxFrameBytes:1048576}"),
      @ActivationConfigProperty(propertyName = "maxConnections", propertyValue = "${engine.mllp.maxConnections:100}"),
      @ActivationConfigProperty(propertyName = "idleTimeoutMillis", propertyValue = "${engine.mllp.idleTimeoutMillis:300000}"),
      @ActivationConfigProperty(propertyName = "frameReadTimeoutMillis", propertyValue = "${engine.mllp.frameReadTimeoutMillis:30000}"),
      @ActivationConfigProperty(propertyName = "endpointTimeoutMillis", propertyValue = "${engine.mllp.endpointTimeoutMillis:30000}"),
      @ActivationConfigProperty(propertyName = "allowedSenders", propertyValue = "${engine.mllp.allowedSenders:}")
    })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MllpIntakeConsumer extends MllpIntakeEndpoint {}
