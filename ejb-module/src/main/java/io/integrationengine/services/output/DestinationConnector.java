package io.integrationengine.services.output;

import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.routing.DestinationDefinition;

/**
 * Sends a message to one kind of destination. Implementations are CDI beans, found by
 * {@link #type()}: a new protocol is a new class.
 */
public interface DestinationConnector {

  /** The destination {@code type} this connector serves, e.g. {@code file}. */
  String type();

  /**
   * Delivers the message, or throws if it could not (the task is then retried).
   *
   * @return where it went, for the delivery record (a path, an address)
   */
  String deliver(StoredMessage message, DestinationDefinition destination) throws Exception;
}
