package io.integrationengine.mllp.outbound;

import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/** The connection factory applications see: every connection comes from the server's pool. */
public class MllpConnectionFactoryImpl implements MllpConnectionFactory {

  private static final long serialVersionUID = 1L;

  private final transient MllpManagedConnectionFactory factory;
  private final transient ConnectionManager manager;
  private Reference reference;

  MllpConnectionFactoryImpl(MllpManagedConnectionFactory factory, ConnectionManager manager) {
    this.factory = factory;
    this.manager = manager;
  }

  @Override
  public MllpConnection getConnection(String host, int port) throws ResourceException {
    return (MllpConnection) manager.allocateConnection(factory, new Receiver(host, port));
  }

  @Override
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }
}
