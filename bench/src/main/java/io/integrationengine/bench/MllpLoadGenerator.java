package io.integrationengine.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * MLLP load generator: N connections each send M messages, every one waiting for its ACK before
 * the next (as a real HL7 sender does). Reports throughput, ACK latency percentiles, and how long
 * until every message is delivered as a file.
 *
 * <pre>
 * bench/run --connections 4 --messages 500 [--host 127.0.0.1] [--port 2575]
 *           [--sample testdata/hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7]
 *           [--out var/out/adt] [--deliveryTimeoutSeconds 300] [--warmup 50] [--pipeline 1 | --rate R]
 * </pre>
 *
 * {@code --pipeline K} writes K frames before reading their K ACKs (a sender that does not wait);
 * a message's latency then runs from the write of its batch to its own ACK.
 *
 * {@code --rate R} offers R messages per second in all (open loop): each connection writes its
 * frames on a fixed schedule, R / N per second, whether or not the ACKs of earlier ones have come
 * (a reader per connection takes them), and a message's latency runs from the time it was due, so
 * a server that falls behind is not hidden by a sender that waits for it.
 *
 * Port and output folder default to those of the engine started by {@code ./engine start}
 * (read from {@code var/engine.env}).
 */
public final class MllpLoadGenerator {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    if (options.containsKey("help")) {
      System.out.println("options: --connections N --messages M(per connection) --pipeline K | --rate R(msg/s, all connections) --host H --port P --sample FILE --out DIR --deliveryTimeoutSeconds S --warmup W");
      return;
    }
    Properties state = new Properties();
    Path stateFile = Path.of(options.getOrDefault("state", "var/engine.env"));
    if (Files.exists(stateFile)) {
      try (InputStream in = Files.newInputStream(stateFile)) {
        state.load(in);
      }
    }
    String host = options.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(options.getOrDefault("port", state.getProperty("ENGINE_MLLP_PORT", "2575")));
    int connections = Integer.parseInt(options.getOrDefault("connections", "4"));
    int perConnection = Integer.parseInt(options.getOrDefault("messages", "250"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "50"));
    int pipeline = Integer.parseInt(options.getOrDefault("pipeline", "1"));
    double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
    if (rate > 0 && pipeline != 1) {
      throw new IllegalArgumentException("--rate and --pipeline exclude each other");
    }
    Path out = Path.of(options.getOrDefault("out", state.getProperty("ENGINE_OUT_DIR", "var/out") + "/adt"));
    long deliveryTimeoutMillis = Long.parseLong(options.getOrDefault("deliveryTimeoutSeconds", "300")) * 1000;
    String sample = normalize(Files.readString(Path.of(options.getOrDefault("sample", "testdata/hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7")), StandardCharsets.UTF_8));
    String runId = Long.toString(System.currentTimeMillis(), 36).toUpperCase();

    System.out.printf("MLLP load: %s:%d, %d connection(s) x %d message(s), %s, sample %d bytes, run %s%n", host, port, connections, perConnection,
        rate > 0 ? String.format("%.0f msg/s offered (open loop)", rate) : "pipeline " + pipeline, sample.length(), runId);
    if (warmup > 0) {
      runLoad(host, port, 1, warmup, 1, 0, sample, "W" + runId);
    }

    long start = System.nanoTime();
    List<long[]> latencies = runLoad(host, port, connections, perConnection, pipeline, rate / connections, sample, "B" + runId);
    long acked = System.nanoTime();
    int total = connections * perConnection;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double seconds = (acked - start) / 1e9;
    System.out.printf("acknowledged: %d messages in %.2f s = %.1f msg/s%n", total, seconds, total / seconds);
    System.out.printf("ACK latency ms: p50 %.2f  p99 %.2f  max %.2f%n", pct(all, 50) / 1e6, pct(all, 99) / 1e6, all[all.length - 1] / 1e6);

    long delivered = awaitDelivered(out, "B" + runId, total, deliveryTimeoutMillis);
    double untilDelivered = (System.nanoTime() - start) / 1e9;
    if (delivered >= total) {
      System.out.printf("delivered: all %d files in %s after %.2f s from the first send (%.1f msg/s end to end)%n", total, out, untilDelivered, total / untilDelivered);
    } else {
      System.out.printf("delivered: only %d of %d files in %s after %.2f s%n", delivered, total, out, untilDelivered);
      System.exit(1);
    }
  }

  private static List<long[]> runLoad(String host, int port, int connections, int perConnection, int pipeline, double perSecond, String sample,
      String prefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int connection = c;
        Callable<long[]> sender = perSecond > 0
            ? () -> sendPaced(host, port, perConnection, perSecond, sample, prefix + "C" + connection + "N")
            : () -> sendAll(host, port, perConnection, pipeline, sample, prefix + "C" + connection + "N");
        results.add(pool.submit(sender));
      }
      List<long[]> latencies = new ArrayList<>();
      for (Future<long[]> f : results) {
        latencies.add(f.get());
      }
      return latencies;
    } finally {
      pool.shutdown();
    }
  }

  private static long[] sendAll(String host, int port, int count, int pipeline, String sample, String controlPrefix) throws IOException {
    long[] latencies = new long[count];
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int first = 0; first < count; first += pipeline) {
        int last = Math.min(count, first + pipeline);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = first; i < last; i++) {
          writeFrame(batch, withControlId(sample, controlPrefix + i).getBytes(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        out.write(batch.toByteArray());
        out.flush();
        for (int i = first; i < last; i++) {
          String ack = readFrame(in);
          latencies[i] = System.nanoTime() - t0;
          checkAck(ack, controlPrefix + i);
        }
      }
    }
    return latencies;
  }

  /** Open loop: frame i is written when it is due (start + i / perSecond); a reader takes the ACKs, in order. */
  private static long[] sendPaced(String host, int port, int count, double perSecond, String sample, String controlPrefix) throws Exception {
    long[] latencies = new long[count];
    AtomicLongArray due = new AtomicLongArray(count);
    long interval = (long) (1e9 / perSecond);
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      ExecutorService readers = Executors.newSingleThreadExecutor();
      try {
        Future<?> reading = readers.submit(() -> {
          for (int i = 0; i < count; i++) {
            String ack = readFrame(in);
            latencies[i] = System.nanoTime() - due.get(i);
            checkAck(ack, controlPrefix + i);
          }
          return null;
        });
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          long at = start + i * interval;
          for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          due.set(i, at);
          ByteArrayOutputStream frame = new ByteArrayOutputStream();
          writeFrame(frame, withControlId(sample, controlPrefix + i).getBytes(StandardCharsets.UTF_8));
          out.write(frame.toByteArray());
          out.flush();
          if (reading.isDone()) {
            break; // the reader failed: get() below says why
          }
        }
        reading.get();
      } finally {
        readers.shutdownNow();
      }
    }
    return latencies;
  }

  private static void checkAck(String ack, String controlId) throws IOException {
    if (!ack.contains("MSA|AA|" + controlId + "\r") && !ack.contains("MSA|CA|" + controlId + "\r")) {
      throw new IOException("negative, missing or out-of-order ACK for " + controlId + ": " + ack.replace('\r', '\n'));
    }
  }

  /** Appends one MLLP frame: start block, the payload, end block, carriage return. */
  static void writeFrame(ByteArrayOutputStream to, byte[] payload) {
    to.write(0x0B);
    to.writeBytes(payload);
    to.write(0x1C);
    to.write(0x0D);
  }

  static String readFrame(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    int b;
    while ((b = in.read()) != 0x0B) {
      if (b == -1) {
        throw new IOException("connection closed while waiting for an ACK");
      }
    }
    while ((b = in.read()) != 0x1C) {
      if (b == -1) {
        throw new IOException("connection closed inside an ACK");
      }
      buffer.write(b);
    }
    in.read();
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static String withControlId(String message, String controlId) {
    int end = message.indexOf('\r');
    String[] msh = message.substring(0, end).split("\\|", -1);
    msh[9] = controlId;
    return String.join("|", msh) + message.substring(end);
  }

  /** Counts the run's files every 20 ms until all are there or the timeout passes; returns the last count. */
  private static long awaitDelivered(Path folder, String prefix, int total, long timeoutMillis) throws Exception {
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch all = new CountDownLatch(1);
    AtomicLong seen = new AtomicLong();
    try {
      poller.scheduleWithFixedDelay(() -> {
        try {
          seen.set(countDelivered(folder, prefix));
          if (seen.get() >= total) {
            all.countDown();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      all.await(timeoutMillis, TimeUnit.MILLISECONDS);
      return seen.get();
    } finally {
      poller.shutdownNow();
    }
  }

  private static long countDelivered(Path folder, String prefix) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".hl7")).count();
    }
  }

  private static double pct(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  static String normalize(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return t.replace("\r\n", "\r").replace('\n', '\r').strip() + "\r";
  }

  /** {@code --name value} pairs; a flag without a value is {@code true}. Shared by the bench tools. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String key = args[i].substring(2);
        String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
        options.put(key, value);
      }
    }
    return options;
  }
}
