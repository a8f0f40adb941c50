package io.integrationengine.mllp.api;

import jakarta.resource.ResourceException;
import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * Outbound MLLP: look it up by JNDI ({@code eis/mllp/outbound}), get a pooled connection to a
 * receiver, send, close (which returns the connection to the pool).
 */
public interface MllpConnectionFactory extends Serializable, Referenceable {

  /** A connection to {@code host:port}; pooled connections to the same receiver are reused. */
  MllpConnection getConnection(String host, int port) throws ResourceException;
}
