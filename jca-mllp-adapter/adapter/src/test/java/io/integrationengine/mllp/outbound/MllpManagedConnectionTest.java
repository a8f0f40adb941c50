package io.integrationengine.mllp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.integrationengine.mllp.api.MllpAck;
import io.integrationengine.mllp.api.MllpSendException;
import io.integrationengine.mllp.framing.MllpFrameDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbound connection against a real socket: a small MLLP receiver run by the test. */
class MllpManagedConnectionTest {

  private static final String MESSAGE = "MSH|^~\\&|ENGINE|HOSP|LAB|LABF|20240101||ORM^O01|C1|P|2.5\rPID|1||42\r";

  private final ExecutorService receiverThreads = Executors.newCachedThreadPool();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger closedByReceiver = new AtomicInteger();
  private ServerSocket server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    receiverThreads.shutdownNow();
  }

  @Test
  void returnsTheAckOfTheMessageSent() throws Exception {
    startReceiver(message -> ack("AA", "C1"), false);
    MllpManagedConnection connection = connect(30_000);

    MllpAck ack = connection.send(MESSAGE);

    assertThat(ack.code()).isEqualTo("AA");
    assertThat(ack.controlId()).isEqualTo("C1");
    assertThat(new String(received.get(0), StandardCharsets.UTF_8)).isEqualTo(MESSAGE);
  }

  @Test
  void anAckForAnotherMessageIsAnError() throws Exception {
    startReceiver(message -> ack("AA", "SOMETHING-ELSE"), false);
    MllpManagedConnection connection = connect(30_000);

    assertThatThrownBy(() -> connection.send(MESSAGE)).isInstanceOfSatisfying(MllpSendException.class,
        e -> assertThat(e.kind()).isEqualTo(MllpSendException.Kind.INVALID_ACK));
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void noAckWithinTheResponseTimeoutIsATimeout() throws Exception {
    startReceiver(message -> null, false);
    MllpManagedConnection connection = connect(300);

    assertThatThrownBy(() -> connection.send(MESSAGE)).isInstanceOfSatisfying(MllpSendException.class,
        e -> assertThat(e.kind()).isEqualTo(MllpSendException.Kind.TIMEOUT));
  }

  @Test
  void aConnectionTheReceiverDroppedIsReopenedBeforeSending() throws Exception {
    startReceiver(message -> ack("AA", "C1"), true);
    MllpManagedConnection connection = connect(30_000);
    assertThat(connection.send(MESSAGE).code()).isEqualTo("AA");

    // the receiver closes every connection after one exchange, as some interface engines do
    await().atMost(Duration.ofSeconds(10)).until(() -> closedByReceiver.get() == 1);
    assertThat(connection.send(MESSAGE).code()).isEqualTo("AA");
    assertThat(received).hasSize(2);
  }

  @Test
  void aMessageDeclaringItsCharsetIsSentInIt() throws Exception {
    startReceiver(message -> ack("AA", "C1"), false);
    MllpManagedConnection connection = connect(30_000);
    String latin = MESSAGE.replace("|P|2.5\r", "|P|2.5||||||8859/1\r").replace("PID|1||42", "PID|1||42||Müller");

    connection.send(latin);

    assertThat(received.get(0)).isEqualTo(latin.getBytes(Charset.forName("ISO-8859-1")));
  }

  @Test
  void noReceiverIsAConnectError() throws Exception {
    MllpManagedConnectionFactory factory = new MllpManagedConnectionFactory();
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    assertThatThrownBy(() -> new MllpManagedConnection(factory, new Receiver("127.0.0.1", closedPort)))
        .hasMessageContaining("Cannot connect to MLLP receiver 127.0.0.1:" + closedPort);
  }

  private MllpManagedConnection connect(int responseTimeoutMillis) throws Exception {
    MllpManagedConnectionFactory factory = new MllpManagedConnectionFactory();
    factory.setResponseTimeoutMillis(responseTimeoutMillis);
    return new MllpManagedConnection(factory, new Receiver("127.0.0.1", server.getLocalPort()));
  }

  private static String ack(String code, String controlId) {
    return "MSH|^~\\&|LAB|LABF|ENGINE|HOSP|20240101||ACK^O01^ACK|A1|P|2.5\rMSA|" + code + "|" + controlId + "\r";
  }

  /** A receiver answering each frame with {@code answer} (null: never answers); optionally closing after one exchange. */
  private void startReceiver(Function<byte[], String> answer, boolean closeAfterEach) throws IOException {
    server = new ServerSocket(0);
    receiverThreads.submit(() -> {
      while (!server.isClosed()) {
        Socket socket = server.accept();
        receiverThreads.submit(() -> serve(socket, answer, closeAfterEach));
      }
      return null;
    });
  }

  private Void serve(Socket socket, Function<byte[], String> answer, boolean closeAfterEach) throws IOException {
    try (socket) {
      InputStream in = socket.getInputStream();
      MllpFrameDecoder decoder = new MllpFrameDecoder(1 << 20);
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (MllpFrameDecoder.Result result : decoder.feed(buffer, 0, n)) {
          byte[] payload = ((MllpFrameDecoder.Frame) result).payload();
          received.add(payload);
          String reply = answer.apply(payload);
          if (reply != null) {
            socket.getOutputStream().write(MllpFrameDecoder.frame(reply.getBytes(StandardCharsets.ISO_8859_1)));
            socket.getOutputStream().flush();
          }
          if (closeAfterEach) {
            socket.close();
            closedByReceiver.incrementAndGet();
            return null;
          }
        }
      }
    }
    return null;
  }
}
