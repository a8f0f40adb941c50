package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpListenerStatus;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLServerSocket;

/**
 * The accept loop of one listener. It refuses senders not on the allowed list and connections
 * beyond the limit (both logged with the peer's address); each accepted connection becomes its own
 * {@link MllpConnection} work.
 */
final class MllpListener implements Work {

  private static final Logger LOG = Logger.getLogger(MllpListener.class.getName());

  private final ListenerSettings settings;
  private final MessageEndpointFactory endpointFactory;
  private final WorkManager workManager;
  private final Set<MllpConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket serverSocket;
  private volatile boolean released;

  MllpListener(ListenerSettings settings, MessageEndpointFactory endpointFactory, WorkManager workManager) {
    this.settings = settings;
    this.endpointFactory = endpointFactory;
    this.workManager = workManager;
  }

  /** Binds before the work is scheduled, so a port in use or a bad key store fails the activation, not a log line later. */
  void bind() throws IOException, GeneralSecurityException {
    ServerSocket socket;
    if (settings.tls().enabled()) {
      SSLServerSocket tls = (SSLServerSocket) settings.tls().context().getServerSocketFactory().createServerSocket();
      switch (settings.tls().clientAuth()) {
        case "required" -> tls.setNeedClientAuth(true);
        case "want" -> tls.setWantClientAuth(true);
        default -> tls.setNeedClientAuth(false);
      }
      String[] protocols = settings.tls().enabledProtocols();
      if (protocols != null) {
        tls.setEnabledProtocols(protocols);
      }
      socket = tls;
    } else {
      socket = new ServerSocket();
    }
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 100);
    serverSocket = socket;
  }

  int localPort() {
    return serverSocket.getLocalPort();
  }

  String name() {
    return settings.listenerName();
  }

  @Override
  public void run() {
    while (!released) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!released) {
          MllpListenerStatus.record(name(), MllpListenerStatus.State.STOPPED, settings.bindAddress() + ":" + settings.port(), "stopped accepting: " + e);
          LOG.log(Level.SEVERE, "MLLP listener '" + name() + "' stopped accepting", e);
        }
        return;
      }
      String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
      if (!settings.allowedSenders().allows(socket.getInetAddress())) {
        LOG.warning(() -> "MLLP listener '" + name() + "' refused " + peer + ": not among the allowed senders (" + settings.allowedSenders() + ")");
        closeQuietly(socket);
        continue;
      }
      if (connections.size() >= settings.maxConnections()) {
        LOG.warning(() -> "MLLP listener '" + name() + "' refused " + peer + ": " + settings.maxConnections() + " connections already open (maxConnections)");
        closeQuietly(socket);
        continue;
      }
      MllpConnection connection = new MllpConnection(socket, peer, settings, endpointFactory, workManager, connections::remove);
      connections.add(connection);
      try {
        workManager.scheduleWork(connection, WorkManager.INDEFINITE, null, null);
      } catch (WorkException e) {
        LOG.log(Level.WARNING, "MLLP listener '" + name() + "' has no thread for " + peer + "; closing it", e);
        connections.remove(connection);
        connection.close();
      }
    }
  }

  /**
   * Stops accepting, lets every connection finish the message it is processing (up to
   * {@code shutdownGraceMillis}), then closes what is left.
   */
  @Override
  public void release() {
    released = true;
    closeQuietly(serverSocket);
    connections.forEach(MllpConnection::finishAndClose);
    long deadline = System.currentTimeMillis() + settings.shutdownGraceMillis();
    for (MllpConnection connection : connections) {
      connection.awaitEnd(Math.max(0, deadline - System.currentTimeMillis()));
    }
    connections.forEach(MllpConnection::close);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "close", e);
    }
  }
}
