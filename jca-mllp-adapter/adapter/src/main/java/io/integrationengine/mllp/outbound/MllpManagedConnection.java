package io.integrationengine.mllp.outbound;

import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpSendException;
import io.integrationengine.mllp.api.MllpSendException.Kind;
import io.integrationengine.mllp.framing.AckReader;
import io.integrationengine.mllp.framing.MllpFrameDecoder;
import io.integrationengine.mllp.framing.Msh18Charsets;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled socket to one receiver. A send writes the frame and reads frames until the ACK for
 * that message arrives or the response timeout passes. A connection the receiver closed while it
 * sat in the pool is reopened once, transparently; a connection that fails mid-exchange is
 * reported to the pool, which discards it.
 */
public class MllpManagedConnection implements ManagedConnection {

  private static final Logger LOG = Logger.getLogger(MllpManagedConnection.class.getName());

  private final MllpManagedConnectionFactory factory;
  private final Receiver receiver;
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private final List<MllpConnectionHandle> handles = new CopyOnWriteArrayList<>();
  private Socket socket;
  private volatile boolean broken;
  private PrintWriter logWriter;

  MllpManagedConnection(MllpManagedConnectionFactory factory, Receiver receiver) throws ResourceException {
    this.factory = factory;
    this.receiver = receiver;
    try {
      connect();
    } catch (MllpSendException e) {
      throw new ResourceException(e.getMessage(), e);
    }
  }

  Receiver receiver() {
    return receiver;
  }

  private void connect() throws MllpSendException {
    try {
      Socket s;
      if (factory.tls().enabled()) {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(receiver.host(), receiver.port()), factory.getConnectTimeoutMillis());
        SSLSocket tls = (SSLSocket) factory.tls().context().getSocketFactory().createSocket(plain, receiver.host(), receiver.port(), true);
        tls.setSoTimeout(factory.getConnectTimeoutMillis());
        tls.startHandshake();
        s = tls;
      } else {
        s = new Socket();
        s.connect(new InetSocketAddress(receiver.host(), receiver.port()), factory.getConnectTimeoutMillis());
      }
      s.setTcpNoDelay(true);
      s.setKeepAlive(Boolean.TRUE.equals(factory.getKeepAlive()));
      socket = s;
      broken = false;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new MllpSendException(Kind.CONNECT, "Cannot connect to MLLP receiver " + receiver + ": " + e.getMessage(), e);
    }
  }

  /** True if the socket is open and the receiver has neither closed it nor left unread bytes on it. */
  boolean usable() {
    if (broken || socket == null || socket.isClosed()) {
      return false;
    }
    try {
      socket.setSoTimeout(1);
      // anything but a timeout, -1 (closed by the receiver) or stray bytes, makes it unfit to send on
      socket.getInputStream().read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  synchronized MllpAck send(String message) throws MllpSendException {
    // a message that declares its character set (MSH-18) is sent in it; the pool's charset is the default
    Charset charset = Msh18Charsets.detect(message.substring(0, Math.min(message.length(), 2048)).getBytes(StandardCharsets.ISO_8859_1), factory.charsetValue());
    return send(message.getBytes(charset), charset);
  }

  synchronized MllpAck send(byte[] message) throws MllpSendException {
    return send(message, Msh18Charsets.detect(message, factory.charsetValue()));
  }

  private MllpAck send(byte[] message, Charset charset) throws MllpSendException {
    // the header is ASCII in every charset MLLP carries: its control id reads the same either way
    String controlId = AckReader.controlId(new String(message, 0, Math.min(message.length, 2048), StandardCharsets.ISO_8859_1));
    byte[] frame = MllpFrameDecoder.frame(message);
    if (!usable()) {
      // the receiver dropped the idle connection: reopen before sending, nothing was sent yet
      closeSocket();
      connect();
    }
    try {
      OutputStream out = socket.getOutputStream();
      out.write(frame);
      out.flush();
      return awaitAck(controlId, charset);
    } catch (MllpSendException e) {
      fail(e);
      throw e;
    } catch (IOException e) {
      MllpSendException failure = new MllpSendException(Kind.BROKEN, "Connection to " + receiver + " broke sending " + controlId + ": " + e.getMessage(), e);
      fail(failure);
      throw failure;
    }
  }

  private MllpAck awaitAck(String controlId, Charset charset) throws IOException, MllpSendException {
    long deadline = System.currentTimeMillis() + factory.getResponseTimeoutMillis();
    MllpFrameDecoder decoder = new MllpFrameDecoder(factory.getMaxFrameBytes());
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      long remaining = deadline - System.currentTimeMillis();
      if (remaining <= 0) {
        throw new MllpSendException(Kind.TIMEOUT, "No ACK from " + receiver + " for " + controlId + " within " + factory.getResponseTimeoutMillis() + " ms", null);
      }
      socket.setSoTimeout((int) remaining);
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw new MllpSendException(Kind.TIMEOUT, "No ACK from " + receiver + " for " + controlId + " within " + factory.getResponseTimeoutMillis() + " ms", e);
      }
      if (n == -1) {
        throw new MllpSendException(Kind.BROKEN, receiver + " closed the connection before acknowledging " + controlId, null);
      }
      for (MllpFrameDecoder.Result result : decoder.feed(buffer, 0, n)) {
        if (!(result instanceof MllpFrameDecoder.Frame frame)) {
          throw new MllpSendException(Kind.INVALID_ACK, "ACK from " + receiver + " exceeds " + factory.getMaxFrameBytes() + " bytes", null);
        }
        MllpAck ack = AckReader.read(new String(frame.payload(), charset));
        if (ack == null) {
          throw new MllpSendException(Kind.INVALID_ACK, "Answer from " + receiver + " to " + controlId + " is not an ACK (no MSA segment)", null);
        }
        if (controlId != null && !controlId.equals(ack.controlId())) {
          throw new MllpSendException(Kind.INVALID_ACK, "ACK from " + receiver + " answers " + ack.controlId() + ", not " + controlId, null);
        }
        return ack;
      }
    }
  }

  /** The exchange is out of step: tell the pool to discard this connection. */
  private void fail(MllpSendException failure) {
    broken = true;
    ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, failure);
    handles.stream().findFirst().ifPresent(event::setConnectionHandle);
    listeners.forEach(l -> l.connectionErrorOccurred(event));
  }

  void handleClosed(MllpConnectionHandle handle) {
    handles.remove(handle);
    ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
    event.setConnectionHandle(handle);
    listeners.forEach(l -> l.connectionClosed(event));
  }

  @Override
  public Object getConnection(Subject subject, ConnectionRequestInfo info) {
    MllpConnectionHandle handle = new MllpConnectionHandle(this);
    handles.add(handle);
    return handle;
  }

  @Override
  public void associateConnection(Object connection) {
    if (connection instanceof MllpConnectionHandle handle) {
      handle.associate(this);
      handles.add(handle);
    }
  }

  @Override
  public void cleanup() {
    handles.clear();
  }

  @Override
  public void destroy() {
    handles.clear();
    closeSocket();
  }

  private void closeSocket() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing MLLP connection to " + receiver, e);
    }
  }

  @Override
  public void addConnectionEventListener(ConnectionEventListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionEventListener(ConnectionEventListener listener) {
    listeners.remove(listener);
  }

  @Override
  public XAResource getXAResource() throws ResourceException {
    throw new NotSupportedException("MLLP is not transactional");
  }

  @Override
  public LocalTransaction getLocalTransaction() throws ResourceException {
    throw new NotSupportedException("MLLP is not transactional");
  }

  @Override
  public ManagedConnectionMetaData getMetaData() {
    return new ManagedConnectionMetaData() {
      @Override
      public String getEISProductName() {
        return "HL7v2 over MLLP";
      }

      @Override
      public String getEISProductVersion() {
        return "MLLP release 2";
      }

      @Override
      public int getMaxConnections() {
        return 0;
      }

      @Override
      public String getUserName() {
        return null;
      }
    };
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }
}
