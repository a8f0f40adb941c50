package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SFTP in and out, against an SFTP server the test starts (Apache MINA SSHD's, on a free port of
 * 127.0.0.1, a temporary folder as its file system, a host key of its own). An {@code sftp} channel
 * (a private key file, host key by fingerprint) polls its {@code outbox}: the
 * files put there are taken, archived on the server, read by their file-intake job, and each
 * message is delivered byte for byte to a local file destination and to an {@code sftp} destination
 * (the same key, host key from a known_hosts file) on the same server, and in HL7 batch files by a
 * batch sftp destination ({@code batchSize} 3, {@code batchWindowSeconds} 2). Passwords from password
 * aliases are covered by the unit tests: Payara reads its alias store once, so an alias the test
 * created now would only be seen after a restart of the domain. A channel whose host
 * key is not trusted takes nothing, and the log, {@code /api/channels} and the {@code sftp-channels}
 * health check say why until the key is trusted; the sftp destination retries while the server is
 * down and delivers once it is back, while the channel polling that server shows the error.
 */
class SftpIT {

  private static final Duration DONE = Duration.ofSeconds(120);
  private static final String CHANNEL = "sftp-it";
  private static final String LOCAL = "sftp-it-local";
  private static final String OUT = "sftp-it-out";
  private static final String BATCHES = "sftp-it-batches";
  private static final String MLLP_ROUTE = "sftp-it-mllp";
  private static final String MLLP_SENDER = "SFTPITOUT";
  private static final String USER = "engine";

  private static EngineUnderTest engine;
  private static SshServer server;
  private static Path root;
  private static Path work;
  private static Path privateKey;
  private static SimpleGeneratorHostKeyProvider hostKeys;
  private static java.security.PublicKey clientPublicKey;

  @BeforeAll
  static void startServerAndDefineChannelAndDestinations() throws Exception {
    engine = EngineUnderTest.get();
    work = Files.createTempDirectory("sftp-it");
    root = Files.createDirectories(work.resolve("server"));
    Files.createDirectories(root.resolve("outbox"));
    KeyPair clientKey = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    clientPublicKey = clientKey.getPublic();
    privateKey = work.resolve("engine_rsa");
    try (OutputStream out = Files.newOutputStream(privateKey)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "engine@sftp-it", null, out);
    }

    hostKeys = new SimpleGeneratorHostKeyProvider(work.resolve("host.key"));
    hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    hostKeys.setKeySize(256);
    startServer(0);
    String port = String.valueOf(server.getPort());
    java.security.PublicKey hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
    Path knownHosts = work.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n");

    engine.defineTogether(() -> {
      engine.define("destinations", LOCAL, "type", "file", "directory", LOCAL);
      engine.define("destinations", OUT, "type", "sftp", "host", "127.0.0.1", "port", port, "user", USER, "privateKey", privateKey.toString(),
          "knownHosts", knownHosts.toString(), "directory", "/delivered", "initialBackoffMillis", "500", "maxBackoffMillis", "2000", "maxAttempts", "100");
      engine.define("destinations", BATCHES, "type", "sftp", "host", "127.0.0.1", "port", port, "user", USER, "privateKey", privateKey.toString(),
          "knownHosts", knownHosts.toString(), "directory", "/batches", "batchSize", "3", "batchWindowSeconds", "2", "concurrency", "1",
          "initialBackoffMillis", "500", "maxBackoffMillis", "2000", "maxAttempts", "100");
      engine.define("routes", CHANNEL, "condition", "@channel = file:" + CHANNEL, "destinations", LOCAL + "," + OUT + "," + BATCHES);
      engine.define("routes", MLLP_ROUTE, "condition", "@sendingApplication = " + MLLP_SENDER, "destinations", OUT);
      engine.define("channels", CHANNEL, "type", "sftp", "host", "127.0.0.1", "port", port, "user", USER, "privateKey", privateKey.toString(),
          "hostKeyFingerprint", KeyUtils.getFingerPrint(hostKey), "directory", "/outbox", "pollMillis", "1000");
    });
  }

  @AfterAll
  static void stop() throws IOException {
    for (String[] definition : List.of(new String[] {"channels", CHANNEL}, new String[] {"routes", CHANNEL}, new String[] {"routes", MLLP_ROUTE})) {
      try {
        engine.removeDefinition(definition[0], definition[1]);
      } catch (RuntimeException e) {
        // not defined: the setup failed before
      }
    }
    if (server != null) {
      server.stop(true);
    }
  }

  @Test
  void filesPutOnTheServerAreTakenArchivedThereAndEveryMessageDeliveredByteForByte() throws IOException {
    byte[] single = TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    List<byte[]> messages = Stream.of("hl7v2/microsoft-fhir-converter/ADT-A01-02.hl7", "hl7v2/hapi-hl7v2/docs_example_ADT_A01.txt",
        "hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7").map(sample -> TestData.message(sample).getBytes(StandardCharsets.UTF_8)).toList();
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      many.write(message);
    }
    String singleName = unique("adt.hl7");
    String manyName = unique("many.hl7");

    // one as a careful sender puts it (a dot name, renamed), one written in place
    Path temp = root.resolve("outbox/." + singleName);
    Files.write(temp, single);
    Files.move(temp, root.resolve("outbox").resolve(singleName), StandardCopyOption.ATOMIC_MOVE);
    Files.write(root.resolve("outbox").resolve(manyName), many.toByteArray());

    JsonObject singleJob = finished(singleName);
    assertThat(singleJob.getString("status")).isEqualTo("ARCHIVED");
    assertThat(singleJob.getString("channel")).isEqualTo(CHANNEL);
    assertThat(singleJob.getInt("recordsStored")).isEqualTo(1);
    assertThat(Path.of(singleJob.getString("result"))).isEqualTo(engine.var().resolve("archive").resolve(CHANNEL).resolve(singleName)).hasBinaryContent(single);
    JsonObject manyJob = finished(manyName);
    assertThat(manyJob.getString("status")).isEqualTo("ARCHIVED");
    assertThat(manyJob.getInt("recordsStored")).isEqualTo(3);

    // archived on the server, gone from the folder polled
    assertThat(root.resolve("outbox").resolve(singleName)).doesNotExist();
    assertThat(root.resolve("outbox/archive").resolve(singleName)).hasBinaryContent(single);
    assertThat(root.resolve("outbox/archive").resolve(manyName)).hasBinaryContent(many.toByteArray());

    String singleMessage = records(singleJob).get(0).getString("messageId");
    assertThat(deliveredLocally(singleMessage)).hasBinaryContent(single);
    assertThat(deliveredOnServer(singleMessage)).hasBinaryContent(single);
    List<JsonObject> records = records(manyJob);
    assertThat(records).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String messageId = records.get(i).getString("messageId");
      assertThat(deliveredLocally(messageId)).hasBinaryContent(messages.get(i));
      assertThat(deliveredOnServer(messageId)).hasBinaryContent(messages.get(i));
    }
    JsonObject stored = Json.createReader(new StringReader(engine.get("/api/messages/" + singleMessage))).readObject();
    assertThat(stored.getJsonObject("message").getString("channel")).isEqualTo("file:" + CHANNEL);
    await().atMost(DONE).ignoreExceptions().untilAsserted(() -> assertThat(deliveries(singleMessage).getValuesAs(JsonObject.class)).anySatisfy(d -> {
      assertThat(d.getString("destination")).isEqualTo(OUT);
      assertThat(d.getString("status")).isEqualTo("DELIVERED");
      assertThat(d.getString("target")).startsWith("sftp://engine@127.0.0.1:" + server.getPort() + "/delivered/");
    }));
    try (Stream<Path> left = Files.list(root.resolve("delivered"))) {
      assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }

    // and in HL7 batch files on the server (3 a batch, or what 2 seconds gathered), each message once
    List<String> sent = new ArrayList<>();
    sent.add(new String(single, StandardCharsets.ISO_8859_1));
    messages.forEach(m -> sent.add(new String(m, StandardCharsets.ISO_8859_1)));
    List<String> batches = await().atMost(DONE).until(SftpIT::batchFiles,
        files -> files.stream().mapToInt(SftpIT::batchCount).sum() >= 4);
    assertThat(batches).allSatisfy(b -> assertThat(b).startsWith("FHS|^~\\&|INTEGRATION-ENGINE||" + BATCHES + "||").contains("\rBHS|").endsWith("\rFTS|1\r"));
    assertThat(batches.stream().mapToInt(SftpIT::batchCount).sum()).isEqualTo(4);
    String all = String.join("", batches);
    for (String message : sent) {
      assertThat(all.split(java.util.regex.Pattern.quote(message), -1)).as("copies of a message in the batch files").hasSize(2);
    }
    assertThat(deliveries(singleMessage).getValuesAs(JsonObject.class)).anySatisfy(d -> {
      assertThat(d.getString("destination")).isEqualTo(BATCHES);
      assertThat(d.getString("target")).startsWith("sftp://engine@127.0.0.1:" + server.getPort() + "/batches/batch_");
    });
  }

  @Test
  void aServerWhoseHostKeyIsNotTrustedGivesNothingAndSaysWhyUntilItsKeyIsTrusted() throws Exception {
    String channel = "sftp-it-untrusted";
    Path folder = Files.createDirectories(root.resolve("untrusted"));
    String name = unique("adt.hl7");
    Files.write(folder.resolve(name), TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    String otherKey = KeyUtils.getFingerPrint(generator.generateKeyPair().getPublic());
    Path log = engine.domainDir().resolve("logs/server.log");
    long logged = Files.size(log);

    engine.define("channels", channel, "type", "sftp", "host", "127.0.0.1", "port", String.valueOf(server.getPort()), "user", USER, "privateKey", privateKey.toString(),
        "hostKeyFingerprint", otherKey, "directory", "/untrusted", "pollMillis", "500");
    try {
      String expected = "sftp channel '" + channel + "' (engine@127.0.0.1:" + server.getPort() + "): host key refused: the server offered its ";
      String line = await().atMost(DONE).until(() -> logSince(log, logged).stream().filter(l -> l.contains(expected)).findFirst(), Optional::isPresent).get();
      assertThat(line).contains("which is not among hostKeyFingerprint [" + otherKey + "]").contains("nothing is sent or taken until the server's key is trusted");
      assertThat(folder.resolve(name)).exists();
      assertThat(job(name)).isEmpty();

      // the API and the health check say so too, without making the engine unready for it
      JsonObject refused = await().atMost(DONE).until(() -> poll(channel), p -> p.isPresent() && "error".equals(p.get().getString("state"))).get();
      assertThat(refused.getString("detail")).startsWith(expected);
      assertThat(refused.get("lastSuccessfulPoll")).isIn(null, JsonValue.NULL);
      assertThat(refused.getInt("filesTaken")).isZero();
      JsonObject check = sftpHealth();
      assertThat(check.getString("status")).isEqualTo("UP");
      // Payara gives the check's numbers as JSON strings
      JsonValue failing = check.getJsonObject("data").get("failing");
      assertThat(Long.parseLong(failing instanceof JsonString text ? text.getString() : failing.toString())).isGreaterThanOrEqualTo(1);
      assertThat(check.getJsonObject("data").getString(channel)).startsWith("error: " + expected).endsWith("(last successful poll: none; files taken: 0)");

      // the key trusted, the channel polls and takes the file
      engine.asadmin("set", "resources.custom-resource.engine/channels/" + channel + ".property.hostKeyFingerprint=" + KeyUtils.getFingerPrint(hostKeys.loadKeys(null).iterator().next().getPublic()));
      JsonObject good = await().atMost(DONE).until(() -> poll(channel), p -> p.isPresent() && p.get().getInt("filesTaken") == 1).get();
      assertThat(good.getString("state")).isEqualTo("ok");
      assertThat(good.get("detail")).isIn(null, JsonValue.NULL);
      assertThat(Instant.parse(good.getString("lastSuccessfulPoll"))).isAfter(Instant.parse(refused.getString("lastPoll")));
      assertThat(sftpHealth().getJsonObject("data").getString(channel)).startsWith("ok (last successful poll: ");
      assertThat(finished(name).getString("status")).isEqualTo("ARCHIVED");
      assertThat(folder.resolve("archive").resolve(name)).exists();
    } finally {
      engine.removeDefinition("channels", channel);
    }
  }

  @Test
  void theSftpDestinationRetriesWhileTheServerIsDownAndDeliversOnceItIsBack() throws Exception {
    String controlId = "SF" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    String message = TestData.message("hl7v2/microsoft-fhir-converter/SIU-S12-01.hl7").replace("|MSG00012|", "|" + controlId + "|");
    message = message.substring(0, 9) + MLLP_SENDER + message.substring(message.indexOf('|', 9));
    server.stop(true);
    Instant stopped = Instant.now();
    try {
      String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
      assertThat(ack).contains("MSA|AA|" + controlId);
      String messageId = onlyMessageWithControlId(controlId).getString("id");
      await().atMost(DONE).ignoreExceptions().untilAsserted(() -> assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
        assertThat(d.getString("destination")).isEqualTo(OUT);
        assertThat(d.getString("status")).isEqualTo("RETRYING");
        assertThat(d.getInt("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(d.getString("lastError")).contains("destination '" + OUT + "' (sftp engine@127.0.0.1:" + server.getPort());
      }));
      // the channel polling the same server says it cannot reach it
      JsonObject down = await().atMost(DONE).until(() -> poll(CHANNEL), p -> p.isPresent() && "error".equals(p.get().getString("state"))).get();
      assertThat(down.getString("detail")).startsWith("SFTP channel '" + CHANNEL + "' (engine@127.0.0.1:" + server.getPort() + ", folder /outbox): ");
      assertThat(sftpHealth().getJsonObject("data").getString(CHANNEL)).startsWith("error: SFTP channel '" + CHANNEL + "'");
    } finally {
      startServer(server.getPort());
    }
    await().atMost(DONE).until(() -> poll(CHANNEL),
        p -> p.isPresent() && "ok".equals(p.get().getString("state")) && Instant.parse(p.get().getString("lastSuccessfulPoll")).isAfter(stopped));
    String messageId = onlyMessageWithControlId(controlId).getString("id");
    assertThat(deliveredOnServer(messageId)).hasContent(message);
    await().atMost(DONE).ignoreExceptions().untilAsserted(() -> assertThat(deliveries(messageId).getValuesAs(JsonObject.class))
        .anySatisfy(d -> assertThat(d.getString("status")).isEqualTo("DELIVERED")));
  }

  // --- helpers

  /** Starts the SFTP server (on {@code port}, or a free one for 0); an SshServer cannot be started again once stopped. */
  private static void startServer(int port) throws IOException {
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(port);
    server.setKeyPairProvider(hostKeys);
    server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientPublicKey));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
  }

  private static String unique(String name) {
    return UUID.randomUUID().toString().substring(0, 8) + "-" + name;
  }

  /** The batch files on the server (not those still being written), as text. */
  private static List<String> batchFiles() throws IOException {
    Path folder = root.resolve("batches");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
        texts.add(Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    return texts;
  }

  /** BTS-1 of a batch file: how many messages it holds. */
  private static int batchCount(String batch) {
    // BTS starts a segment after CR or, when the message before it ended with LF as it was sent, LF
    int bts = Math.max(batch.lastIndexOf("\rBTS|"), batch.lastIndexOf("\nBTS|"));
    return bts < 0 ? 0 : Integer.parseInt(batch.substring(bts + 5, batch.indexOf('\r', bts + 1)));
  }

  /** The SFTP channel's polling as {@code /api/channels} shows it. */
  private static Optional<JsonObject> poll(String channel) {
    return Json.createReader(new StringReader(engine.get("/api/channels"))).readArray().getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals(channel) && c.getBoolean("valid") && c.containsKey("poll")).findFirst().map(c -> {
          assertThat(c.getString("type")).isEqualTo("sftp");
          return c.getJsonObject("poll");
        });
  }

  /** The {@code sftp-channels} readiness check, whatever the other checks say. */
  private static JsonObject sftpHealth() {
    String body = engine.request("GET", "/health/ready", null, null, null).body();
    return Json.createReader(new StringReader(body)).readObject().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals("sftp-channels")).findFirst().orElseThrow();
  }

  private static Optional<JsonObject> job(String fileName) {
    JsonArray jobs = Json.createReader(new StringReader(engine.get("/api/jobs?limit=1000"))).readArray();
    return jobs.getValuesAs(JsonObject.class).stream().filter(j -> j.getString("file").equals(fileName)).findFirst();
  }

  private static JsonObject finished(String fileName) {
    return await().atMost(DONE).ignoreExceptions().until(() -> job(fileName), j -> j.isPresent() && !"RUNNING".equals(j.get().getString("status"))).get();
  }

  private static List<JsonObject> records(JsonObject job) {
    return Json.createReader(new StringReader(engine.get("/api/jobs/" + job.getString("id") + "/records"))).readArray().getValuesAs(JsonObject.class);
  }

  private static Path deliveredLocally(String messageId) {
    return awaitFile(engine.outDir().resolve(LOCAL), messageId);
  }

  private static Path deliveredOnServer(String messageId) {
    return awaitFile(root.resolve("delivered"), messageId);
  }

  /** The file a destination wrote for a message ({@code <control id>_<message id>.hl7}), once it is there. */
  private static Path awaitFile(Path folder, String messageId) {
    return await().atMost(DONE).until(() -> {
      if (!Files.isDirectory(folder)) {
        return Optional.<Path>empty();
      }
      try (Stream<Path> files = Files.list(folder)) {
        return files.filter(f -> f.getFileName().toString().endsWith("_" + messageId + ".hl7")).findFirst();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Optional::isPresent).get();
  }

  /** The lines the server logged after {@code offset}. */
  private static List<String> logSince(Path log, long offset) throws IOException {
    byte[] all = Files.readAllBytes(log);
    if (all.length < offset) {
      offset = 0; // rotated
    }
    List<String> lines = new ArrayList<>();
    new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8).lines().forEach(lines::add);
    return lines;
  }
}
