package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpInboundMessage;
import io.integrationengine.mllp.api.MllpMessageListener;
import io.integrationengine.mllp.framing.FallbackAck;
import io.integrationengine.mllp.framing.MllpFrameDecoder;
import io.integrationengine.mllp.framing.Msh18Charsets;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One sender's connection: reads frames, hands each to the endpoint, writes the answers back in
 * the order the frames arrived (pipelined frames are answered one after another).
 *
 * <p>Two clocks protect the threads: while no frame is in progress the connection may stay
 * silent for {@code idleTimeoutMillis}; once a frame has started, the sender has
 * {@code frameReadTimeoutMillis} in all to finish it, however it trickles the bytes.
 */
final class MllpConnection implements Work {

  private static final Logger LOG = Logger.getLogger(MllpConnection.class.getName());

  private final Socket socket;
  private final String peer;
  private final ListenerSettings settings;
  private final MessageEndpointFactory endpointFactory;
  private final WorkManager workManager;
  private final Consumer<MllpConnection> onEnd;
  private final Charset defaultCharset;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean closing;

  MllpConnection(Socket socket, String peer, ListenerSettings settings, MessageEndpointFactory endpointFactory, WorkManager workManager, Consumer<MllpConnection> onEnd) {
    this.socket = socket;
    this.peer = peer;
    this.settings = settings;
    this.endpointFactory = endpointFactory;
    this.workManager = workManager;
    this.onEnd = onEnd;
    // for answers to frames that never reach the application (oversized): ASCII-compatible, lossless
    this.defaultCharset = "auto".equalsIgnoreCase(settings.charset()) ? java.nio.charset.StandardCharsets.ISO_8859_1 : Charset.forName(settings.charset());
  }

  @Override
  public void run() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(settings.maxFrameBytes());
    byte[] buffer = new byte[16 * 1024];
    long frameDeadline = 0;
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      // the TLS handshake gets the same allowance as a frame: a silent peer cannot hold the thread
      socket.setSoTimeout(settings.frameReadTimeoutMillis());
      String principal;
      try {
        principal = peerPrincipal();
      } catch (IOException e) {
        LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "' refused " + peer + ": TLS handshake failed: " + e.getMessage());
        return;
      }
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closing) {
        int timeout = settings.idleTimeoutMillis();
        if (frameDeadline > 0) {
          timeout = (int) Math.max(1, frameDeadline - System.currentTimeMillis());
        }
        socket.setSoTimeout(timeout);
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          if (frameDeadline > 0) {
            LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "': " + peer + " did not complete a frame within " + settings.frameReadTimeoutMillis() + " ms; closed");
          } else {
            LOG.fine(() -> "MLLP connection from " + peer + " idle for " + settings.idleTimeoutMillis() + " ms; closed");
          }
          return;
        }
        if (n == -1) {
          if (decoder.inFrame()) {
            LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "': " + peer + " disconnected in the middle of a frame");
          }
          return;
        }
        var results = decoder.feed(buffer, 0, n);
        if (!results.isEmpty()) {
          // a frame completed: one that started in the same read gets a full allowance of its own
          frameDeadline = 0;
        }
        for (MllpFrameDecoder.Result result : results) {
          if (result instanceof MllpFrameDecoder.Frame frame) {
            Charset charset = Msh18Charsets.resolve(frame.payload(), settings.charset());
            String ack = answer(frame.payload(), charset, principal);
            if (ack != null) {
              out.write(MllpFrameDecoder.frame(ack.getBytes(charset)));
              out.flush();
            }
            if (closing) {
              return;
            }
          } else if (result instanceof MllpFrameDecoder.Oversized oversized) {
            String head = new String(oversized.prefix(), defaultCharset);
            LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "': frame from " + peer + " exceeds " + oversized.limit() + " bytes; rejected, closing");
            out.write(MllpFrameDecoder.frame(FallbackAck.reject(head, "AR", "Message exceeds the maximum size of " + oversized.limit() + " bytes").getBytes(defaultCharset)));
            out.flush();
            return;
          }
        }
        frameDeadline = decoder.inFrame() ? (frameDeadline > 0 ? frameDeadline : System.currentTimeMillis() + settings.frameReadTimeoutMillis()) : 0;
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "MLLP connection from " + peer + " ended", e);
    } finally {
      ended.countDown();
      onEnd.accept(this);
    }
  }

  private String peerPrincipal() throws IOException {
    if (socket instanceof SSLSocket tls) {
      tls.startHandshake();
      try {
        return tls.getSession().getPeerPrincipal().getName();
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Asks the application for the ACK, on a work of its own so that an application that hangs
   * cannot hold the sender past {@code endpointTimeoutMillis}; if it fails or times out, the
   * sender gets a negative ACK of ours.
   */
  private String answer(byte[] payload, Charset charset, String principal) {
    String text = new String(payload, charset);
    MllpInboundMessage message = new MllpInboundMessage(payload, text, charset.name(), peer, settings.listenerName(), socket.getLocalPort(), settings.ackMode(), principal);
    EndpointCall call = new EndpointCall(message);
    try {
      workManager.scheduleWork(call, WorkManager.INDEFINITE, null, null);
    } catch (WorkException e) {
      LOG.log(Level.SEVERE, "MLLP listener '" + settings.listenerName() + "': no thread to process a message from " + peer, e);
      return FallbackAck.reject(text, "AR", "The engine is overloaded; resend later");
    }
    try {
      if (!call.done.await(settings.endpointTimeoutMillis(), TimeUnit.MILLISECONDS)) {
        LOG.severe(() -> "MLLP listener '" + settings.listenerName() + "': the engine did not answer a message from " + peer + " within " + settings.endpointTimeoutMillis() + " ms");
        return FallbackAck.reject(text, "AR", "The engine did not answer within " + settings.endpointTimeoutMillis() + " ms; resend later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FallbackAck.reject(text, "AR", "The engine is shutting down; resend later");
    }
    if (call.failure != null) {
      LOG.log(Level.SEVERE, "MLLP listener '" + settings.listenerName() + "': message from " + peer + " could not be handed to the engine", call.failure);
      return FallbackAck.reject(text, "AR", "The engine could not accept the message (" + call.failure.getClass().getSimpleName() + "); resend later");
    }
    return call.ack;
  }

  /** One delivery to the message endpoint. */
  private final class EndpointCall implements Work {
    private final MllpInboundMessage message;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String ack;
    private volatile Throwable failure;

    EndpointCall(MllpInboundMessage message) {
      this.message = message;
    }

    @Override
    public void run() {
      MessageEndpoint endpoint = null;
      try {
        endpoint = endpointFactory.createEndpoint(null);
        ack = ((MllpMessageListener) endpoint).onMessage(message);
      } catch (Exception | LinkageError e) {
        failure = e;
      } finally {
        if (endpoint != null) {
          endpoint.release();
        }
        done.countDown();
      }
    }

    @Override
    public void release() {}
  }

  /** Lets the message in progress finish and its answer be written, then ends the connection. */
  void finishAndClose() {
    closing = true;
    try {
      // wakes a read that is waiting for the next frame; the answer being written still goes out
      socket.shutdownInput();
    } catch (IOException | UnsupportedOperationException e) {
      close();
    }
  }

  void awaitEnd(long millis) {
    try {
      ended.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing connection", e);
    }
  }

  @Override
  public void release() {
    finishAndClose();
  }
}
