package io.integrationengine.services.output;

import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpConnectionFactory;
import io.integrationengine.services.routing.DestinationDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Sends each message to an HL7v2 receiver over MLLP, through the adapter's pooled outbound
 * connection factory, and judges the acknowledgement:
 *
 * <ul>
 *   <li>AA/CA: delivered;
 *   <li>AE/CE: as the destination's {@code onError} says, {@code deadLetter} (default: the same
 *       message would fail again) or {@code retry};
 *   <li>AR/CR: as {@code onReject} says, {@code retry} (default: HL7 allows resending) or
 *       {@code deadLetter};
 *   <li>no connection, timeout, broken connection, an ACK for another message: retried with backoff.
 * </ul>
 *
 * Destination settings: {@code host}, {@code port}, {@code connectionFactory} (JNDI, default
 * {@code eis/mllp/outbound}), {@code onError}, {@code onReject}.
 */
@ApplicationScoped
public class MllpDestinationConnector implements DestinationConnector {

  private final Map<String, MllpConnectionFactory> factories = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "mllp";
  }

  @Override
  public String deliver(StoredMessage message, DestinationDefinition destination) throws Exception {
    String host = required(destination, "host");
    int port = Integer.parseInt(required(destination, "port"));
    MllpAck ack;
    try (MllpConnection connection = factory(destination).getConnection(host, port)) {
      ack = connection.send(onWire(message.getContent()));
    }
    String where = "mllp://" + host + ":" + port;
    if (ack.accepted()) {
      return where + " " + ack.code();
    }
    boolean isError = "AE".equals(ack.code()) || "CE".equals(ack.code());
    String policy = destination.settings().getOrDefault(isError ? "onError" : "onReject", isError ? "deadLetter" : "retry");
    String reason = where + " answered " + ack.code() + (ack.text().isEmpty() ? "" : ": " + ack.text());
    if ("deadLetter".equalsIgnoreCase(policy)) {
      throw new PermanentDeliveryFailure(reason);
    }
    throw new IllegalStateException(reason);
  }

  private MllpConnectionFactory factory(DestinationDefinition destination) throws NamingException {
    String name = destination.settings().getOrDefault("connectionFactory", "eis/mllp/outbound");
    MllpConnectionFactory factory = factories.get(name);
    if (factory == null) {
      factory = (MllpConnectionFactory) new InitialContext().lookup(name);
      factories.put(name, factory);
    }
    return factory;
  }

  /** MLLP receivers expect CR between segments; the store keeps what the sender wrote. */
  static String onWire(String content) {
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    return text.replace("\r\n", "\r").replace('\n', '\r');
  }

  private static String required(DestinationDefinition destination, String key) {
    String value = destination.setting(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("destination '" + destination.name() + "' has no '" + key + "'");
    }
    return value.strip();
  }
}
