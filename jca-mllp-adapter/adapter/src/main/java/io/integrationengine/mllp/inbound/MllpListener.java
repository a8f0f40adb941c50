package io.integrationengine.mllp.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The accept loop of one listener; each accepted connection becomes its own {@link MllpConnection} work. */
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

  /** Binds before the work is scheduled, so a port in use fails the activation instead of a log line later. */
  void bind() throws IOException {
    ServerSocket socket = new ServerSocket();
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
          LOG.log(Level.SEVERE, "MLLP listener '" + name() + "' stopped accepting", e);
        }
        return;
      }
      MllpConnection connection = new MllpConnection(socket, settings, endpointFactory, connections::remove);
      connections.add(connection);
      try {
        workManager.scheduleWork(connection, WorkManager.INDEFINITE, null, null);
      } catch (WorkException e) {
        LOG.log(Level.WARNING, "MLLP listener '" + name() + "' has no thread for " + socket.getRemoteSocketAddress() + "; closing it", e);
        connection.release();
      }
    }
  }

  @Override
  public void release() {
    released = true;
    try {
      if (serverSocket != null) {
        serverSocket.close();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing server socket", e);
    }
    connections.forEach(MllpConnection::release);
  }
}
