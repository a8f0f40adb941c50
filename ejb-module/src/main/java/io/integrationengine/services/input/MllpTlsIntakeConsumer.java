package io.integrationengine.services.input;

import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The TLS MLLP listener, off unless {@code engine.mllp.tls.enabled=true}. By default it uses the
 * domain's own key store and trust store; {@code engine.mllp.tls.clientAuth=required} makes it
 * mutual TLS. See docs/mllp.md.
 */
@MessageDriven(
    name = "MllpTlsIntakeConsumer",
    messageListenerInterface = MllpMessageListener.class,
    activationConfig = {
      @ActivationConfigProperty(propertyName = "listenerName", propertyValue = "tls"),
      @ActivationConfigProperty(propertyName = "enabled", propertyValue = "${engine.mllp.tls.enabled:false}"),
      @ActivationConfigProperty(propertyName = "tlsEnabled", propertyValue = "true"),
      @ActivationConfigProperty(propertyName = "port", propertyValue = "${engine.mllp.tls.port:2576}"),
      @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${engine.mllp.tls.bind:127.0.0.1}"),
      @ActivationConfigProperty(propertyName = "charset", propertyValue = "${engine.mllp.charset:auto}"),
      @ActivationConfigProperty(propertyName = "ackMode", propertyValue = "${engine.mllp.ackMode:auto}"),
      @ActivationConfigProperty(propertyName = "maxFrameBytes", propertyValue = "${engine.mllp.maxFrameBytes:1048576}"),
      @ActivationConfigProperty(propertyName = "maxConnections", propertyValue = "${engine.mllp.tls.maxConnections:100}"),
      @ActivationConfigProperty(propertyName = "idleTimeoutMillis", propertyValue = "${engine.mllp.idleTimeoutMillis:300000}"),
      @ActivationConfigProperty(propertyName = "frameReadTimeoutMillis", propertyValue = "${engine.mllp.frameReadTimeoutMillis:30000}"),
      @ActivationConfigProperty(propertyName = "endpointTimeoutMillis", propertyValue = "${engine.mllp.endpointTimeoutMillis:30000}"),
      @ActivationConfigProperty(propertyName = "allowedSenders", propertyValue = "${engine.mllp.tls.allowedSenders:}"),
      @ActivationConfigProperty(propertyName = "clientAuth", propertyValue = "${engine.mllp.tls.clientAuth:none}"),
      @ActivationConfigProperty(propertyName = "keyStore", propertyValue = "${engine.mllp.tls.keyStore:}"),
      @ActivationConfigProperty(propertyName = "trustStore", propertyValue = "${engine.mllp.tls.trustStore:}")
    })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MllpTlsIntakeConsumer extends MllpIntakeEndpoint {}
