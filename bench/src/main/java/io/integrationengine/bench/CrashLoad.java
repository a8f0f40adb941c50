package io.integrationengine.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender side of the crash test ({@code bench/crash-test}): N connections send ADT messages,
 * each with a control id of its own, for a given time, through server crashes and restarts
 * (reconnecting when a connection breaks), and write the control ids the engine acknowledged with
 * AA to a file. Everything in that file must end up delivered, exactly once.
 *
 * <pre>
 * java -cp bench/target/classes io.integrationengine.bench.CrashLoad --port P --connections 4 --seconds 40 --acked FILE
 * </pre>
 */
public final class CrashLoad {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = MllpLoadGenerator.parse(args);
    int port = Integer.parseInt(options.get("port"));
    int connections = Integer.parseInt(options.getOrDefault("connections", "4"));
    long until = System.currentTimeMillis() + Long.parseLong(options.getOrDefault("seconds", "40")) * 1000;
    Path acked = Path.of(options.get("acked"));
    String sample = MllpLoadGenerator.normalize(Files.readString(Path.of(options.getOrDefault("sample", "testdata/hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7")), StandardCharsets.UTF_8));
    String run = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    ConcurrentLinkedQueue<String> ok = new ConcurrentLinkedQueue<>();
    AtomicLong failures = new AtomicLong();
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int connection = c;
      Thread sender = new Thread(() -> send(port, sample, "K" + run + "C" + connection + "N", until, ok, failures));
      sender.start();
      senders.add(sender);
    }
    for (Thread sender : senders) {
      sender.join();
    }
    Files.write(acked, ok);
    System.out.printf("crash load: %d acknowledged with AA, %d sends failed or were refused%n", ok.size(), failures.get());
  }

  private static void send(int port, String sample, String prefix, long until, ConcurrentLinkedQueue<String> ok, AtomicLong failures) {
    long sequence = 0;
    while (System.currentTimeMillis() < until) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        while (System.currentTimeMillis() < until) {
          String controlId = prefix + (sequence++);
          ByteArrayOutputStream frame = new ByteArrayOutputStream();
          MllpLoadGenerator.writeFrame(frame, sample.replace("MSG00001", controlId).getBytes(StandardCharsets.UTF_8));
          out.write(frame.toByteArray());
          out.flush();
          String ack = MllpLoadGenerator.readFrame(in);
          if (ack == null) {
            failures.incrementAndGet();
            break;
          }
          if (ack.contains("MSA|AA|" + controlId + "\r") || ack.endsWith("MSA|AA|" + controlId)) {
            ok.add(controlId);
          } else {
            failures.incrementAndGet();
          }
        }
      } catch (IOException e) {
        failures.incrementAndGet();
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
