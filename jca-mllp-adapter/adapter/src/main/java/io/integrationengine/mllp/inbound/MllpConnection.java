package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpInboundMessage;
import io.integrationengine.mllp.api.MllpMessageListener;
import io.integrationengine.mllp.framing.FallbackAck;
import io.integrationengine.mllp.framing.MllpFrameDecoder;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sender's connection: reads frames, hands each to the endpoint, writes the answer back in the
 * order the frames arrived.
 */
final class MllpConnection implements Work {

  private static final Logger LOG = Logger.getLogger(MllpConnection.class.getName());

  private final Socket socket;
  private final ListenerSettings settings;
  private final MessageEndpointFactory endpointFactory;
  private final Consumer<MllpConnection> onClose;
  private final Charset charset;
  private final String peer;

  MllpConnection(Socket socket, ListenerSettings settings, MessageEndpointFactory endpointFactory, Consumer<MllpConnection> onClose) {
    this.socket = socket;
    this.settings = settings;
    this.endpointFactory = endpointFactory;
    this.onClose = onClose;
    this.charset = Charset.forName(settings.charset());
    this.peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
  }

  @Override
  public void run() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(settings.maxFrameBytes());
    byte[] buffer = new byte[16 * 1024];
    try (socket) {
      socket.setSoTimeout(settings.idleTimeoutMillis());
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (MllpFrameDecoder.Result result : decoder.feed(buffer, 0, n)) {
          if (result instanceof MllpFrameDecoder.Frame frame) {
            out.write(MllpFrameDecoder.frame(answer(new String(frame.payload(), charset)).getBytes(charset)));
            out.flush();
          } else if (result instanceof MllpFrameDecoder.Oversized oversized) {
            String head = new String(oversized.prefix(), charset);
            LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "': frame from " + peer + " exceeds " + oversized.limit() + " bytes; rejected, closing");
            out.write(MllpFrameDecoder.frame(FallbackAck.reject(head, "AR", "Message exceeds the maximum size of " + oversized.limit() + " bytes").getBytes(charset)));
            out.flush();
            return;
          }
        }
      }
      if (decoder.inFrame()) {
        LOG.warning(() -> "MLLP listener '" + settings.listenerName() + "': " + peer + " disconnected in the middle of a frame");
      }
    } catch (SocketTimeoutException e) {
      LOG.fine(() -> "MLLP connection from " + peer + " idle for " + settings.idleTimeoutMillis() + " ms; closed");
    } catch (IOException e) {
      LOG.log(Level.FINE, "MLLP connection from " + peer + " ended", e);
    } finally {
      onClose.accept(this);
    }
  }

  /** Asks the application for the ACK; if it cannot give one, answers with a negative ACK of our own. */
  private String answer(String text) {
    MllpInboundMessage message = new MllpInboundMessage(text, charset.name(), peer, settings.listenerName(), socket.getLocalPort());
    MessageEndpoint endpoint = null;
    try {
      endpoint = endpointFactory.createEndpoint(null);
      String ack = ((MllpMessageListener) endpoint).onMessage(message);
      if (ack == null || ack.isEmpty()) {
        return FallbackAck.reject(text, "AR", "The engine produced no acknowledgement; resend later");
      }
      return ack;
    } catch (Exception | LinkageError e) {
      LOG.log(Level.SEVERE, "MLLP listener '" + settings.listenerName() + "': message from " + peer + " could not be handed to the engine", e);
      return FallbackAck.reject(text, "AR", "The engine could not accept the message (" + e.getClass().getSimpleName() + "); resend later");
    } finally {
      if (endpoint != null) {
        endpoint.release();
      }
    }
  }

  @Override
  public void release() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing connection", e);
    }
  }
}
