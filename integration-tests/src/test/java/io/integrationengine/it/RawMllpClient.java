package io.integrationengine.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare MLLP sender for what HAPI's client refuses to send: malformed messages, raw bytes. */
final class RawMllpClient {

  private RawMllpClient() {}

  /** Frames {@code payload}, sends it, and returns the payload of the answer frame. */
  static String send(String host, int port, byte[] payload) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(0x0B);
      out.write(payload);
      out.write(new byte[] {0x1C, 0x0D});
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      int b;
      boolean started = false;
      while ((b = in.read()) != -1) {
        if (!started) {
          started = b == 0x0B;
          continue;
        }
        if (b == 0x1C) {
          break;
        }
        answer.write(b);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
