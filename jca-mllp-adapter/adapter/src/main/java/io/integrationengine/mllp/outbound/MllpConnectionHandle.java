package io.integrationengine.mllp.outbound;

import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpSendException;

/** The handle an application holds; closing it gives the physical connection back to the pool. */
public class MllpConnectionHandle implements MllpConnection {

  private volatile MllpManagedConnection managed;

  MllpConnectionHandle(MllpManagedConnection managed) {
    this.managed = managed;
  }

  void associate(MllpManagedConnection connection) {
    this.managed = connection;
  }

  @Override
  public MllpAck send(String message) throws MllpSendException {
    MllpManagedConnection current = managed;
    if (current == null) {
      throw new IllegalStateException("connection closed");
    }
    return current.send(message);
  }

  @Override
  public MllpAck send(byte[] message) throws MllpSendException {
    MllpManagedConnection current = managed;
    if (current == null) {
      throw new IllegalStateException("connection closed");
    }
    return current.send(message);
  }

  @Override
  public void close() {
    MllpManagedConnection current = managed;
    managed = null;
    if (current != null) {
      current.handleClosed(this);
    }
  }
}
