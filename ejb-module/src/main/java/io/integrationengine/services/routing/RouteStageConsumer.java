package io.integrationengine.services.routing;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** The routing stage's consumer: each message on the route queue carries a stored message's id. */
@MessageDriven(
    name = "RouteStageConsumer",
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "jms/engine/RouteQueue"),
      @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "connectionFactoryLookup", propertyValue = "jms/engine/ConnectionFactory")
    })
public class RouteStageConsumer implements MessageListener {

  @EJB
  Router router;

  @Override
  public void onMessage(Message message) {
    try {
      router.route(message.getBody(String.class));
    } catch (JMSException e) {
      throw new IllegalStateException("Unreadable routing request " + message, e);
    }
  }
}
