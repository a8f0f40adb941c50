package io.integrationengine.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The peer comparison of {@code bench/compare}: the same MLLP load, alternately against the engine
 * and against a peer (the Apache Camel route of {@link CamelPeer}), in one run. Each round sends W
 * warm-up messages and waits until they are files, then N measured messages over C connections,
 * each connection waiting for every ACK (or, with {@code --pipeline K}, writing K frames before it
 * reads their K ACKs). A round measures:
 * <ul>
 *   <li>end to end: from the first measured send until every measured message is a file in the
 *       target's folder (files counted by the round's control-id prefix, every 10 ms once all ACKs
 *       are in), and the rate of ACKs alone;</li>
 *   <li>ACK latency p50, p99 and max (from the write of a frame, or of its pipelined batch, to its ACK);</li>
 *   <li>CPU per message of the server processes over that same window, from
 *       {@code /proc/PID/stat} (utime + stime + cutime + cstime, in clock ticks): for the engine the
 *       Payara JVM and Redis, for Camel its JVM. The load generator's own CPU and how busy the whole
 *       machine was ({@code /proc/stat}) are printed beside it, since other work on the machine
 *       skews both targets alike only if it is steady (and how much of the machine other processes used:
 *       another build, the idle peer).</li>
 * </ul>
 * Then, per pair of rounds (engine, peer), the ratios engine/peer of the end-to-end rates and of
 * the CPU per message, their means, and whether the targets hold (rate ratio at least 0.5, CPU
 * ratio at most 4).
 *
 * <p>The rounds' files stay where they are until the run ends ({@code bench/compare} empties both
 * folders before it starts anything): deleting 25,000 files slows whoever writes files next, for
 * tens of seconds, on a file system mounted with online {@code discard} (this project's machines:
 * ext4 on a virtual disk; 25,000 files of 8.5 KB written in 0.9 s on a quiet disk, in 9.4 s right
 * after the same number were deleted). Deleting each round's files after it made every round but
 * the first write after a deletion: Camel's second round ran at half the rate of its first.
 *
 * <pre>
 * java -cp bench/target/classes io.integrationengine.bench.PeerComparison
 *   --engine-port P --engine-out DIR --engine-pids PID[,PID]
 *   --camel-port P --camel-out DIR --camel-pids PID
 *   [--connections 4] [--warmup 5000] [--messages 20000] [--rounds 2] [--pipeline 1]
 *   [--targets engine,camel] [--host 127.0.0.1] [--sample FILE] [--settle-seconds 2]
 *   [--delivery-timeout-seconds 600] [--rate-target 0.5] [--cpu-target 4] [--fail-on-targets]
 * </pre>
 *
 * Unlike {@code bench/run}, {@code --warmup} and {@code --messages} are totals over all connections.
 */
public final class PeerComparison {

  private static final String SAMPLE = "testdata/hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7";

  /** A server under test: where it listens, where its files appear, which processes do its work. */
  record Target(String name, String host, int port, Path out, long[] pids) {
  }

  record Round(int number, Target target, int messages, double endToEndSeconds, double ackSeconds, long[] latencies,
      double serverCpuMillis, Map<String, Double> cpuByProcess, double idleCpuMillisPerSecond, double generatorCpuMillis,
      double machineBusyPercent, double otherCores, long filesSeen) {

    double rate() {
      return messages / endToEndSeconds;
    }

    double ackRate() {
      return messages / ackSeconds;
    }

    double cpuPerMessage() {
      return serverCpuMillis / messages;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = MllpLoadGenerator.parse(args);
    if (o.containsKey("help")) {
      System.out.println("options: --engine-port P --engine-out DIR --engine-pids PID,PID --camel-port P --camel-out DIR --camel-pids PID"
          + " [--connections 4] [--warmup 5000] [--messages 20000] [--rounds 2] [--pipeline 1] [--targets engine,camel]"
          + " [--host 127.0.0.1] [--sample FILE] [--settle-seconds 2] [--delivery-timeout-seconds 600]"
          + " [--rate-target 0.5] [--cpu-target 4] [--fail-on-targets]");
      return;
    }
    String host = o.getOrDefault("host", "127.0.0.1");
    int connections = Integer.parseInt(o.getOrDefault("connections", "4"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5000"));
    int messages = Integer.parseInt(o.getOrDefault("messages", "20000"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
    int pipeline = Integer.parseInt(o.getOrDefault("pipeline", "1"));
    double settleSeconds = Double.parseDouble(o.getOrDefault("settle-seconds", "2"));
    long timeoutMillis = Long.parseLong(o.getOrDefault("delivery-timeout-seconds", "600")) * 1000;
    double rateTarget = Double.parseDouble(o.getOrDefault("rate-target", "0.5"));
    double cpuTarget = Double.parseDouble(o.getOrDefault("cpu-target", "4"));
    if (connections < 1 || messages < connections || pipeline < 1 || rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("need --connections >= 1, --messages >= --connections, --pipeline >= 1, --rounds >= 1, --warmup >= 0");
    }
    Path samplePath = Path.of(o.getOrDefault("sample", SAMPLE));
    String sample = MllpLoadGenerator.normalize(Files.readString(samplePath, StandardCharsets.UTF_8));

    List<Target> targets = new ArrayList<>();
    for (String name : o.getOrDefault("targets", "engine,camel").split(",")) {
      String n = name.strip();
      if (!o.containsKey(n + "-port")) {
        throw new IllegalArgumentException("--targets names " + n + " but --" + n + "-port is missing");
      }
      targets.add(new Target(n, host, Integer.parseInt(o.get(n + "-port")), Path.of(o.getOrDefault(n + "-out", ".")),
          Arrays.stream(o.getOrDefault(n + "-pids", "").split(",")).filter(s -> !s.isBlank()).mapToLong(Long::parseLong).toArray()));
    }

    long hz = clockTicksPerSecond();
    String runId = Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase(Locale.ROOT);
    System.out.printf("peer comparison, run %s: %s; %d round(s) each; %d connection(s), pipeline %d, %d warm-up + %d measured messages per round;"
        + " sample %s (%d bytes); CPU from /proc at %d ticks/s%n",
        runId, describe(targets), rounds, connections, pipeline, warmup, messages, samplePath.getFileName(), sample.length(), hz);
    System.out.printf("JVM of the load generator: %s %s, %d processor(s)%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());

    if (pipeline > 1 && targets.stream().anyMatch(t -> t.name().equals("camel"))) {
      System.out.println("NOTE: Camel 4.8's MLLP consumer drops frames that arrive in the same read as the one before"
          + " (\"Ignoring trailing out-of-band data\"; CAMEL-24668, fixed in later Camel lines): pipelined Camel rounds are expected to fail.");
    }

    List<Round> done = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      for (Target target : targets) {
        Round round = runRound(r, target, runId, sample, connections, warmup, messages, pipeline, settleSeconds, timeoutMillis, hz);
        done.add(round);
        print(round);
      }
    }

    System.out.println();
    System.out.println("| round | target | msg/s end to end | msg/s ACKed | ACK p50 ms | ACK p99 ms | ACK max ms | server CPU ms/msg | (by process) | idle CPU ms/s | generator CPU ms/msg | machine busy | other processes (cores) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Round round : done) {
      long[] l = round.latencies();
      System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.2f | %.2f | %.2f | %.3f | %s | %.1f | %.3f | %.0f%% | %.2f |%n",
          round.number(), round.target().name(), round.rate(), round.ackRate(), pct(l, 50) / 1e6, pct(l, 99) / 1e6, l[l.length - 1] / 1e6,
          round.cpuPerMessage(), byProcess(round), round.idleCpuMillisPerSecond(), round.generatorCpuMillis() / round.messages(),
          round.machineBusyPercent(), round.otherCores());
    }

    if (targets.size() >= 2) {
      boolean met = compare(done, targets.get(0).name(), targets.get(1).name(), rounds, rateTarget, cpuTarget);
      if (!met && o.containsKey("fail-on-targets")) {
        System.exit(3);
      }
    }
  }

  private static String describe(List<Target> targets) {
    List<String> parts = new ArrayList<>();
    for (Target t : targets) {
      parts.add(t.name() + " " + t.host() + ":" + t.port() + " -> " + t.out() + " (pids " + Arrays.toString(t.pids()) + ")");
    }
    return String.join(", ", parts);
  }

  private static Round runRound(int number, Target target, String runId, String sample, int connections, int warmup, int messages,
      int pipeline, double settleSeconds, long timeoutMillis, long hz) throws Exception {
    String base = target.name().substring(0, 1).toUpperCase(Locale.ROOT) + runId + "R" + number;
    String warmPrefix = base + "W";
    String prefix = base + "M";
    Files.createDirectories(target.out());
    if (warmup > 0) {
      long t = System.nanoTime();
      load(target, Math.min(connections, warmup), warmup, pipeline, sample, warmPrefix);
      long seen = awaitFiles(target.out(), warmPrefix, warmup, timeoutMillis);
      if (seen < warmup) {
        fail(target, "warm-up: only " + seen + " of " + warmup + " files in " + target.out() + " after " + timeoutMillis / 1000 + " s");
      }
      System.out.printf(Locale.ROOT, "[%s round %d] warm-up: %d messages delivered in %.1f s%n", target.name(), number, warmup, (System.nanoTime() - t) / 1e9);
    }
    // idle CPU of the servers while nothing is sent: their background work, also counted below
    long idle0 = cpuTicks(target.pids());
    long idleStart = System.nanoTime();
    Thread.sleep((long) (settleSeconds * 1000));
    double idlePerSecond = ticksToMillis(cpuTicks(target.pids()) - idle0, hz) / ((System.nanoTime() - idleStart) / 1e9);

    long[] cpu0 = perProcessTicks(target.pids());
    long self0 = selfTicks();
    long[] machine0 = machineTicks();
    long start = System.nanoTime();
    long[] latencies = load(target, connections, messages, pipeline, sample, prefix);
    long acked = System.nanoTime();
    long seen = awaitFiles(target.out(), prefix, messages, timeoutMillis);
    long end = System.nanoTime();
    long[] cpu1 = perProcessTicks(target.pids());
    long self1 = selfTicks();
    long[] machine1 = machineTicks();
    if (seen < messages) {
      fail(target, "only " + seen + " of " + messages + " files in " + target.out() + " " + timeoutMillis / 1000 + " s after the last ACK");
    }
    if (seen > messages) {
      System.out.printf("[%s round %d] WARNING: %d files for %d messages (delivered more than once?)%n", target.name(), number, seen, messages);
    }

    Map<String, Double> byProcess = new LinkedHashMap<>();
    long serverTicks = 0;
    for (int i = 0; i < target.pids().length; i++) {
      long ticks = cpu1[i] - cpu0[i];
      serverTicks += ticks;
      byProcess.merge(processName(target.pids()[i]), ticksToMillis(ticks, hz), Double::sum);
    }
    long busy = machine1[0] - machine0[0];
    long total = machine1[1] - machine0[1];
    // what the rest of the machine ran meanwhile (another build, the idle peer), in cores
    double otherCores = Math.max(0, busy - serverTicks - (self1 - self0)) / (double) hz / ((end - start) / 1e9);
    Arrays.sort(latencies);
    return new Round(number, target, messages, (end - start) / 1e9, (acked - start) / 1e9, latencies, ticksToMillis(serverTicks, hz), byProcess,
        idlePerSecond, ticksToMillis(self1 - self0, hz), total == 0 ? 0 : 100.0 * busy / total, otherCores, seen);
  }

  private static void fail(Target target, String why) {
    System.out.println("[" + target.name() + "] FAILED: " + why);
    System.exit(1);
  }

  private static void print(Round r) {
    long[] l = r.latencies();
    System.out.printf(Locale.ROOT, "[%s round %d] %d messages: %.1f msg/s end to end (%.2f s; ACKs %.1f msg/s), ACK ms p50 %.2f p99 %.2f max %.2f,"
        + " server CPU %.3f ms/msg (%s; idle %.1f ms/s), generator %.3f ms/msg, machine %.0f%% busy, other processes %.2f cores%n",
        r.target().name(), r.number(), r.messages(), r.rate(), r.endToEndSeconds(), r.ackRate(), pct(l, 50) / 1e6, pct(l, 99) / 1e6,
        l[l.length - 1] / 1e6, r.cpuPerMessage(), byProcess(r), r.idleCpuMillisPerSecond(), r.generatorCpuMillis() / r.messages(),
        r.machineBusyPercent(), r.otherCores());
  }

  private static String byProcess(Round r) {
    List<String> parts = new ArrayList<>();
    r.cpuByProcess().forEach((name, millis) -> parts.add(String.format(Locale.ROOT, "%s %.3f", name, millis / r.messages())));
    return String.join(" + ", parts);
  }

  private static boolean compare(List<Round> rounds, String engine, String peer, int count, double rateTarget, double cpuTarget) {
    System.out.println();
    System.out.printf("| pair | %s/%s rate (end to end) | %s/%s CPU per message |%n", engine, peer, engine, peer);
    System.out.println("|---|---|---|");
    double rateSum = 0;
    double cpuSum = 0;
    for (int n = 1; n <= count; n++) {
      Round e = find(rounds, engine, n);
      Round p = find(rounds, peer, n);
      double rate = e.rate() / p.rate();
      double cpu = e.cpuPerMessage() / p.cpuPerMessage();
      rateSum += rate;
      cpuSum += cpu;
      System.out.printf(Locale.ROOT, "| %d | %.3f | %.2f |%n", n, rate, cpu);
    }
    double rate = rateSum / count;
    double cpu = cpuSum / count;
    System.out.printf(Locale.ROOT, "| mean | %.3f | %.2f |%n", rate, cpu);
    System.out.println();
    boolean rateMet = rate >= rateTarget;
    boolean cpuMet = cpu <= cpuTarget;
    System.out.printf(Locale.ROOT, "target rate: %s >= %.2f x %s: %s (mean ratio %.3f)%n", engine, rateTarget, peer, rateMet ? "met" : "NOT met", rate);
    System.out.printf(Locale.ROOT, "target CPU per message: %s <= %.1f x %s: %s (mean ratio %.2f)%n", engine, cpuTarget, peer, cpuMet ? "met" : "NOT met", cpu);
    return rateMet && cpuMet;
  }

  private static Round find(List<Round> rounds, String target, int number) {
    return rounds.stream().filter(r -> r.target().name().equals(target) && r.number() == number).findFirst().orElseThrow();
  }

  // --- load ---

  private static long[] load(Target target, int connections, int total, int pipeline, String sample, String prefix) throws Exception {
    try {
      return runLoad(target, connections, total, pipeline, sample, prefix);
    } catch (ExecutionException e) {
      fail(target, String.valueOf(e.getCause()).replace('\r', '\n'));
      return null;
    }
  }

  /** Sends {@code total} messages over {@code connections} connections; returns every message's ACK latency in ns. */
  private static long[] runLoad(Target target, int connections, int total, int pipeline, String sample, String prefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int count = total / connections + (c < total % connections ? 1 : 0);
        String controlPrefix = prefix + "C" + c + "N";
        results.add(pool.submit(() -> sendAll(target, count, pipeline, sample, controlPrefix)));
      }
      long[] all = new long[total];
      int at = 0;
      for (Future<long[]> f : results) {
        long[] l = f.get();
        System.arraycopy(l, 0, all, at, l.length);
        at += l.length;
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long[] sendAll(Target target, int count, int pipeline, String sample, String controlPrefix) throws IOException {
    long[] latencies = new long[count];
    int mshEnd = sample.indexOf('\r');
    String[] msh = sample.substring(0, mshEnd).split("\\|", -1);
    String rest = sample.substring(mshEnd);
    try (Socket socket = new Socket(target.host(), target.port())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream batch = new ByteArrayOutputStream(pipeline * (sample.length() + 8));
      for (int first = 0; first < count; first += pipeline) {
        int last = Math.min(count, first + pipeline);
        batch.reset();
        for (int i = first; i < last; i++) {
          msh[9] = controlPrefix + i;
          MllpLoadGenerator.writeFrame(batch, (String.join("|", msh) + rest).getBytes(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        batch.writeTo(out);
        out.flush();
        for (int i = first; i < last; i++) {
          String ack = MllpLoadGenerator.readFrame(in);
          latencies[i] = System.nanoTime() - t0;
          String controlId = controlPrefix + i;
          if (!ack.contains("MSA|AA|" + controlId + "\r") && !ack.contains("MSA|CA|" + controlId + "\r")
              && !ack.endsWith("MSA|AA|" + controlId) && !ack.endsWith("MSA|CA|" + controlId)) {
            throw new IOException(target.name() + ": negative, missing or out-of-order ACK for " + controlId + ": " + ack.replace('\r', '\n'));
          }
        }
      }
    }
    return latencies;
  }

  // --- files ---

  /** Counts the files named PREFIX*.hl7 every 10 ms until there are {@code total} or the timeout passes; returns the last count. */
  private static long awaitFiles(Path folder, String prefix, int total, long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      long seen = countFiles(folder, prefix);
      if (seen >= total || System.currentTimeMillis() > deadline) {
        return seen;
      }
      Thread.sleep(10);
    }
  }

  private static long countFiles(Path folder, String prefix) throws IOException {
    long n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".hl7")) {
          n++;
        }
      }
    }
    return n;
  }

  // --- CPU from /proc ---

  /**
   * CPU ticks of each process with its live descendants: PostgreSQL works in one child process per
   * connection, whose time reaches the parent's counters only when the child exits.
   */
  private static long[] perProcessTicks(long[] pids) throws IOException {
    Map<Long, List<Long>> children = new HashMap<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String line = Files.readString(proc.resolve("stat"));
          long ppid = Long.parseLong(line.substring(line.lastIndexOf(')') + 2).split(" ")[1]);
          children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(name));
        } catch (IOException | RuntimeException gone) {
          // the process ended while we looked
        }
      }
    }
    long[] ticks = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      ticks[i] = treeTicks(pids[i], children);
    }
    return ticks;
  }

  private static long treeTicks(long pid, Map<Long, List<Long>> children) {
    long total;
    try {
      total = processTicks(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
    for (long child : children.getOrDefault(pid, List.of())) {
      total += treeTicks(child, children);
    }
    return total;
  }

  private static long cpuTicks(long[] pids) throws IOException {
    return Arrays.stream(perProcessTicks(pids)).sum();
  }

  private static long selfTicks() throws IOException {
    return processTicks(Path.of("/proc/self/stat"));
  }

  /** utime + stime + cutime + cstime (fields 14-17 of /proc/PID/stat; the name in field 2 may hold blanks). */
  static long processTicks(Path stat) throws IOException {
    String line = Files.readString(stat);
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): field N is f[N - 3]
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  private static String processName(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    } catch (IOException e) {
      return Long.toString(pid);
    }
  }

  /** {busy, total} ticks of all CPUs from the first line of /proc/stat. */
  private static long[] machineTicks() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  private static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (p.waitFor() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  private static double ticksToMillis(long ticks, long hz) {
    return ticks * 1000.0 / hz;
  }

  private static double pct(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }
}
