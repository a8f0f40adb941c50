package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MLLP listener against what a hospital network sends: fuzzed input, pipelined frames,
 * oversized frames, senders that stall or never speak, enhanced-mode ACK requests, resends, and
 * declared character sets. The build's engine runs with a 3 s frame-read timeout and a 20 s idle
 * timeout so the limits can be seen acting.
 */
class MllpListenerIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  static Stream<Path> fuzzedInputs() throws IOException, URISyntaxException {
    Path root = Path.of(MllpListenerIT.class.getResource("/testdata/hl7v2/nhapi-BadInputs").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().toList().stream();
    }
  }

  /**
   * Every one of nHapi's fuzzer-found inputs, including those nHapi's own parser accepts
   * ({@code NoException}: they carry control characters or unusable delimiters, which the engine's
   * structure check refuses), is answered AE with an ERR segment saying why; none is answered by
   * closing the connection.
   */
  @ParameterizedTest
  @MethodSource("fuzzedInputs")
  void fuzzedInputGetsAnAeSayingWhyAndTheListenerStillServes(Path input) throws IOException {
    byte[] bytes = Files.readAllBytes(input);
    try (Socket socket = connect()) {
      socket.setSoTimeout(10_000);
      send(socket, bytes);
      String ack = readFrame(socket.getInputStream());
      assertThat(ack).as("answer to %s (null: the connection was closed without one)", input.getFileName()).isNotNull();
      assertThat(ack).as("answer to %s", input.getFileName()).containsPattern("(^|\r)MSA\\|AE(\\||\r)").contains("\rERR|");
      String err = ack.substring(ack.indexOf("\rERR|") + 1);
      assertThat(err.replaceAll("[|^&~\\r]", "")).as("ERR of the answer to %s says why", input.getFileName()).hasSizeGreaterThan(10);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within 10 s for " + input.getFileName(), e);
    }
    assertThat(ackFor(validMessage("FZ"))).contains("MSA|AA|");
  }

  @Test
  void pipelinedFramesAreAnsweredInOrder() throws IOException {
    List<String> ids = new ArrayList<>();
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      String message = validMessage("PL");
      ids.add(controlId(message));
      frames.writeBytes(framed(message.getBytes(StandardCharsets.UTF_8)));
    }
    try (Socket socket = connect()) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(frames.toByteArray());
      socket.getOutputStream().flush();
      for (String id : ids) {
        assertThat(readFrame(socket.getInputStream())).contains("MSA|AA|" + id + "\r");
      }
    }
  }

  @Test
  void anOversizedFrameGetsArThenTheConnectionIsClosedAndOthersAreServed() throws IOException {
    String message = validMessage("BIG");
    byte[] big = (message + "NTE|1||" + "X".repeat(1_200_000) + "\r").getBytes(StandardCharsets.UTF_8);
    try (Socket socket = connect()) {
      socket.setSoTimeout(30_000);
      send(socket, big);
      String ack = readFrame(socket.getInputStream());
      assertThat(ack).contains("MSA|AR|" + controlId(message)).contains("maximum size");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(ackFor(validMessage("AFTERBIG"))).contains("MSA|AA|");
  }

  @Test
  void aSenderThatStallsMidFrameIsClosedAndDoesNotHoldUpOthers() throws IOException {
    try (Socket slow = connect()) {
      OutputStream out = slow.getOutputStream();
      out.write(0x0B);
      out.write("MSH|^~\\&|SLOW|".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      assertThat(ackFor(validMessage("FAST"))).contains("MSA|AA|");

      // frame-read timeout 3 s, idle timeout 20 s: only the frame deadline can close it before 12 s
      slow.setSoTimeout(12_000);
      assertThat(slow.getInputStream().read()).as("closed by the engine").isEqualTo(-1);
    }
  }

  @Test
  void connectionsThatNeverSpeakDoNotStarveOthers() throws IOException {
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        silent.add(connect());
      }
      assertThat(ackFor(validMessage("BUSY"))).contains("MSA|AA|");
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
  }

  @Test
  void enhancedModeAnswersCaAndLeavesOutWhatMsh15DoesNotAskFor() throws IOException {
    String always = withMsh15And16(validMessage("ENH"), "AL", "NE");
    assertThat(ackFor(always)).contains("MSA|CA|" + controlId(always));

    String never = withMsh15And16(validMessage("NEV"), "NE", "AL");
    String next = withMsh15And16(validMessage("NXT"), "AL", "NE");
    try (Socket socket = connect()) {
      socket.setSoTimeout(30_000);
      send(socket, never.getBytes(StandardCharsets.UTF_8));
      send(socket, next.getBytes(StandardCharsets.UTF_8));
      assertThat(readFrame(socket.getInputStream())).as("the first answer is for the second message").contains("MSA|CA|" + controlId(next));
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(json("/api/messages?controlId=" + controlId(never)).asJsonArray()).as("stored although not acknowledged").hasSize(1));
  }

  @Test
  void aResendOfAStoredMessageIsAcknowledgedAgainButStoredOnce() throws IOException {
    String message = validMessage("DUP");
    assertThat(ackFor(message)).contains("MSA|AA|" + controlId(message));
    assertThat(ackFor(message)).contains("MSA|AA|" + controlId(message));

    MllpToFileIT.onlyMessageWithControlId(controlId(message)); // exactly one
  }

  @Test
  void theCharacterSetDeclaredInMsh18IsUsed() throws IOException {
    String message = validMessage("LATIN").replace("|P|2.5", "|P|2.5||||||8859/1").replace("PID|1||", "PID|1||4711^^^H^MR||Müller^Jürgen||");
    byte[] latin1 = message.getBytes(Charset.forName("ISO-8859-1"));
    try (Socket socket = connect()) {
      socket.setSoTimeout(30_000);
      send(socket, latin1);
      assertThat(readFrame(socket.getInputStream())).contains("MSA|AA|" + controlId(message));
    }
    JsonObject summary = MllpToFileIT.onlyMessageWithControlId(controlId(message));
    String content = json("/api/messages/" + summary.getString("id")).asJsonObject().getString("content");
    assertThat(content).contains("Müller^Jürgen");
  }

  // --- helpers

  private Socket connect() throws IOException {
    return new Socket(engine.host(), engine.mllpPort());
  }

  private String ackFor(String message) throws IOException {
    return RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
  }

  /** A small valid ADT^A01 (v2.5) with a fresh control id starting with {@code prefix}. */
  static String validMessage(String prefix) {
    String id = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 20 - prefix.length());
    return "MSH|^~\\&|ITSENDER|ITFAC|ENGINE|HOSP|20261124120000||ADT^A01^ADT_A01|" + id + "|P|2.5\r"
        + "EVN|A01|20261124120000\r"
        + "PID|1||12345^^^H^MR||Doe^Jane||19800101|F\r"
        + "PV1|1|I|W1^101^1\r";
  }

  private static String withMsh15And16(String message, String msh15, String msh16) {
    return message.replace("|P|2.5\r", "|P|2.5|||" + msh15 + "|" + msh16 + "\r");
  }

  static String controlId(String message) {
    return message.split("\r")[0].split("\\|")[9];
  }

  private static void send(Socket socket, byte[] payload) throws IOException {
    socket.getOutputStream().write(framed(payload));
    socket.getOutputStream().flush();
  }

  private static byte[] framed(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 3);
    out.write(0x0B);
    out.writeBytes(payload);
    out.write(0x1C);
    out.write(0x0D);
    return out.toByteArray();
  }

  /** The payload of the next frame, or null if the engine closed the connection first. */
  static String readFrame(InputStream in) throws IOException {
    int b;
    while ((b = in.read()) != 0x0B) {
      if (b == -1) {
        return null;
      }
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    while ((b = in.read()) != 0x1C) {
      if (b == -1) {
        return null;
      }
      payload.write(b);
    }
    in.read();
    return payload.toString(StandardCharsets.ISO_8859_1);
  }
}
