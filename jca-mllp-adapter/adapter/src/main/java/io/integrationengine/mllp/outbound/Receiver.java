package io.integrationengine.mllp.outbound;

import jakarta.resource.spi.ConnectionRequestInfo;

/** Which receiver a pooled connection talks to: the pool matches connections on it. */
record Receiver(String host, int port) implements ConnectionRequestInfo {

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
