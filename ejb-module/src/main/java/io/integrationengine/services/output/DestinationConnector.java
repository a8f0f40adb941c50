package io.integrationengine.services.output;

/**
 * Sends a message to one kind of destination. Implementations are CDI beans, found by
 * {@link #type()}: a new protocol is a new class.
 */
public interface DestinationConnector {

  /** The destination {@code type} this connector serves, e.g. {@code file}. */
  String type();

  /**
   * Delivers the message, or throws if it could not: {@link PermanentDeliveryFailure} when no
   * retry can succeed (dead-lettered at once), anything else is retried with backoff.
   *
   * @return where it went, for the delivery record (a path, an address)
   */
  String deliver(OutboundMessage message, DestinationDefinition destination) throws Exception;
}
