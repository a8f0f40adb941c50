package io.integrationengine.services.routing;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.List;

/**
 * The routing stage's consumer: each message on the route queue carries the ids of stored messages
 * (comma-separated); they are routed together, and with those of other requests delivered at the
 * same time (see {@link Router#routeTogether}).
 * It runs outside a transaction on purpose: the router commits the routing in a transaction of
 * its own and only then hands tasks to Redis, which takes no part in a rollback.
 */
@MessageDriven(
    name = "RouteStageConsumer",
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "jms/engine/RouteQueue"),
      @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "connectionFactoryLookup", propertyValue = "jms/engine/ConnectionFactory")
    })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RouteStageConsumer implements MessageListener {

  @Inject
  Router router;

  @Override
  public void onMessage(Message message) {
    try {
      router.routeTogether(List.of(message.getBody(String.class).split(",")));
    } catch (JMSException e) {
      throw new IllegalStateException("Unreadable routing request " + message, e);
    }
  }
}
