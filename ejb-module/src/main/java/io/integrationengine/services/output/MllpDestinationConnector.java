package io.integrationengine.services.output;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.mllp.framing.Er7;
import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Sends each message to an HL7v2 receiver over MLLP, as its bytes with CR between segments (what
 * MLLP receivers expect; a sender's LF or CRLF is the one change made), through the adapter's pooled outbound
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

  /** Looks up a connection factory by JNDI name. */
  @FunctionalInterface
  public interface FactoryLookup {
    MllpConnectionFactory lookup(String jndiName) throws NamingException;
  }

  private final Map<String, MllpConnectionFactory> factories = new ConcurrentHashMap<>();
  private final FactoryLookup lookup;

  public MllpDestinationConnector() {
    this(name -> (MllpConnectionFactory) new InitialContext().lookup(name));
  }

  /** For tests: factories from {@code lookup}. */
  public MllpDestinationConnector(FactoryLookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public String type() {
    return "mllp";
  }

  @Override
  public String deliver(OutboundMessage message, DestinationDefinition destination) throws Exception {
    if (message.content().type() != ContentType.HL7V2_ER7) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' (mllp) sends HL7v2 ER7, the message is " + message.content().type()
          + "; give the route a transform to ER7 for it");
    }
    String host = required(destination, "host");
    int port = Integer.parseInt(required(destination, "port"));
    MllpAck ack;
    try (MllpConnection connection = factory(destination).getConnection(host, port)) {
      ack = connection.send(Er7.withCarriageReturns(message.content().bytes()));
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
      factory = lookup.lookup(name);
      factories.put(name, factory);
    }
    return factory;
  }

  private static String required(DestinationDefinition destination, String key) throws PermanentDeliveryFailure {
    String value = destination.setting(key);
    if (value == null || value.isBlank()) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' has no '" + key + "'");
    }
    return value.strip();
  }
}
