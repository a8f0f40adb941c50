package io.integrationengine.services.input.file.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.sftp.SftpConnections;
import io.integrationengine.core.sftp.SftpTestServer;
import io.integrationengine.services.input.file.FileJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SFTP channel's polls against a real SFTP server (Apache MINA SSHD's), without an application server. */
class SftpChannelPollTest {

  private static final byte[] MESSAGE = "MSH|^~\\&|LAB|HOSP|ENGINE|HOSP|20240101120000||ADT^A01|C1|P|2.5\rPID|1||1^^^HOSP^MR||Doe^John\r".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path temp;

  private SftpTestServer server;
  private SftpConnections connections;
  private Path remote;
  private Path work;
  private final Map<String, FileJob> jobs = new HashMap<>();

  @BeforeEach
  void start() throws IOException {
    Path root = Files.createDirectories(temp.resolve("server"));
    remote = Files.createDirectories(root.resolve("outbox"));
    work = temp.resolve("work/lab");
    server = new SftpTestServer(root, temp.resolve("host.key"));
    connections = new SftpConnections(alias -> alias.equals("lab-sftp") ? SftpTestServer.PASSWORD : alias.equals("wrong") ? "nope" : null);
  }

  @AfterEach
  void stop() throws IOException {
    connections.stop();
    server.close();
  }

  private SftpChannel channel(String... keyValues) {
    Properties p = new Properties();
    p.setProperty("type", "sftp");
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", String.valueOf(server.port()));
    p.setProperty("user", SftpTestServer.USER);
    p.setProperty("passwordAlias", "lab-sftp");
    p.setProperty("hostKeyFingerprint", server.fingerprint());
    p.setProperty("directory", "/outbox");
    p.setProperty("pollMillis", "100");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) {
        p.remove(keyValues[i]);
      } else {
        p.setProperty(keyValues[i], keyValues[i + 1]);
      }
    }
    return SftpChannel.from("lab", p, temp);
  }

  private SftpChannelPoll poller() {
    return new SftpChannelPoll(connections.connection(), id -> Optional.ofNullable(jobs.get(id)));
  }

  private Path upload(String name, byte[] bytes) throws IOException {
    Path file = remote.resolve(name);
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
    return file;
  }

  private List<Path> taken() throws IOException {
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(work)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void aFileUnchangedAtTwoPollsIsTakenIntoTheWorkFolderAndArchived() throws IOException {
    upload("a.hl7", MESSAGE);
    upload(".b.hl7", MESSAGE);
    SftpChannel channel = channel();
    SftpChannelPoll poll = poller();
    assertThat(poll.state().condition()).isEqualTo(SftpChannelState.Condition.WAITING);

    assertThat(poll.poll(channel, work)).isZero();
    assertThat(taken()).isEmpty();
    assertThat(poll.state()).satisfies(s -> {
      assertThat(s.condition()).isEqualTo(SftpChannelState.Condition.OK);
      assertThat(s.filesTaken()).isZero();
      assertThat(s.lastSuccessfulPoll()).isNotNull().isEqualTo(s.lastPoll());
    });
    assertThat(poll.poll(channel, work)).isEqualTo(1);
    assertThat(poll.state().filesTaken()).isEqualTo(1);
    assertThat(poll.state().summary()).startsWith("ok (last successful poll: ").endsWith("; files taken: 1)");

    List<Path> files = taken();
    assertThat(files).hasSize(1);
    String name = files.get(0).getFileName().toString();
    assertThat(name).endsWith("_a.hl7");
    assertThat(name.indexOf('_')).isEqualTo(36);
    assertThat(Files.readAllBytes(files.get(0))).isEqualTo(MESSAGE);
    assertThat(remote.resolve("a.hl7")).doesNotExist();
    assertThat(remote.resolve("archive/a.hl7")).hasBinaryContent(MESSAGE);
    assertThat(remote.resolve(".b.hl7")).exists();
    try (Stream<Path> staged = Files.list(work.resolve(SftpChannelPoll.STAGING))) {
      assertThat(staged).isEmpty();
    }
    assertThat(poll.problem()).isNull();
  }

  @Test
  void aFileDownloadedAgainAfterAStopBeforeItsArchiveIsNotTakenTwice() throws IOException {
    upload("a.hl7", MESSAGE);
    SftpChannel channel = channel();
    SftpChannelPoll poll = poller();
    poll.poll(channel, work);
    poll.poll(channel, work);
    assertThat(taken()).hasSize(1);

    // as if the server had stopped after the download: the remote file is still there, and a new poller knows nothing
    upload("a.hl7", MESSAGE);
    SftpChannelPoll afterRestart = poller();
    afterRestart.poll(channel, work);
    assertThat(afterRestart.poll(channel, work)).isEqualTo(1);
    assertThat(taken()).hasSize(1);
    assertThat(remote.resolve("a.hl7")).doesNotExist();
    try (Stream<Path> archived = Files.list(remote.resolve("archive"))) {
      assertThat(archived.map(f -> f.getFileName().toString())).hasSize(2).contains("a.hl7");
    }

    // the same once its job has moved the copy to the archive: found through the job
    Path first = taken().get(0);
    String id = first.getFileName().toString().substring(0, 36);
    Path archivedCopy = Files.move(first, Files.createDirectories(temp.resolve("archive/lab")).resolve("a.hl7"));
    jobs.put(id, new FileJob(id, "lab", "a.hl7", archivedCopy.toString(), MESSAGE.length));
    upload("a.hl7", MESSAGE);
    SftpChannelPoll again = poller();
    again.poll(channel, work);
    again.poll(channel, work);
    assertThat(taken()).isEmpty();
    assertThat(remote.resolve("a.hl7")).doesNotExist();
  }

  @Test
  void aFileWithTheSameNameSizeAndTimeButOtherBytesIsAFileOfItsOwn() throws IOException {
    upload("a.hl7", MESSAGE);
    SftpChannel channel = channel();
    SftpChannelPoll poll = poller();
    poll.poll(channel, work);
    poll.poll(channel, work);

    byte[] other = MESSAGE.clone();
    other[other.length - 2] = 'X';
    upload("a.hl7", other);
    SftpChannelPoll afterRestart = poller();
    afterRestart.poll(channel, work);
    afterRestart.poll(channel, work);
    List<Path> files = taken();
    assertThat(files).hasSize(2);
    assertThat(files.stream().map(f -> {
      try {
        return new String(Files.readAllBytes(f), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    })).containsExactlyInAnyOrder(new String(MESSAGE, StandardCharsets.US_ASCII), new String(other, StandardCharsets.US_ASCII));
  }

  @Test
  void afterDownloadDeleteRemovesTheRemoteFile() throws IOException {
    upload("a.hl7", MESSAGE);
    SftpChannel channel = channel("afterDownload", "delete");
    SftpChannelPoll poll = poller();
    poll.poll(channel, work);
    poll.poll(channel, work);
    assertThat(taken()).hasSize(1);
    assertThat(remote.resolve("a.hl7")).doesNotExist();
    assertThat(remote.resolve("archive")).doesNotExist();
  }

  @Test
  void aHostKeyOtherThanTheFingerprintTakesNothingAndSaysWhy() throws Exception {
    upload("a.hl7", MESSAGE);
    SftpChannel channel = channel("hostKeyFingerprint", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
    SftpChannelPoll poll = poller();
    poll.poll(channel, work);
    poll.poll(channel, work);
    assertThat(taken()).isEmpty();
    assertThat(remote.resolve("a.hl7")).exists();
    assertThat(poll.state().condition()).isEqualTo(SftpChannelState.Condition.ERROR);
    assertThat(poll.state().detail()).isEqualTo(poll.problem());
    assertThat(poll.problem()).contains("sftp channel 'lab' (engine@127.0.0.1:" + server.port() + "): host key refused")
        .contains("offered its ecdsa-sha2-nistp256 key " + server.fingerprint()).contains("not among hostKeyFingerprint [SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s]");
  }

  @Test
  void knownHosts() throws Exception {
    upload("a.hl7", MESSAGE);
    Path knownHosts = temp.resolve("known_hosts");

    Files.writeString(knownHosts, "[127.0.0.1]:1 " + server.knownHostsLine().substring(server.knownHostsLine().indexOf(' ') + 1) + "\n");
    SftpChannelPoll unknown = poller();
    SftpChannel channel = channel("hostKeyFingerprint", null, "knownHosts", knownHosts.toString());
    unknown.poll(channel, work);
    assertThat(unknown.problem()).contains("has no key for [127.0.0.1]:" + server.port() + " (unknown host)");

    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(generator.generateKeyPair().getPublic()) + "\n");
    SftpChannelPoll changed = poller();
    changed.poll(channel, work);
    assertThat(changed.problem()).contains("has a different key for [127.0.0.1]:" + server.port()).contains("the server's key changed, or this is not the server");
    assertThat(taken()).isEmpty();

    Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    SftpChannelPoll known = poller();
    known.poll(channel, work);
    known.poll(channel, work);
    assertThat(known.problem()).isNull();
    assertThat(taken()).hasSize(1);
    assertThat(KeyUtils.getFingerPrint(server.hostKey())).startsWith("SHA256:");
  }

  @Test
  void refusedCredentialsAndAMissingAliasSayWhich() throws IOException {
    upload("a.hl7", MESSAGE);
    SftpChannelPoll poll = poller();
    poll.poll(channel("passwordAlias", "wrong"), work);
    assertThat(poll.problem()).contains("the server refused the credentials of user 'engine' (password alias 'wrong')");
    SftpChannelPoll missing = poller();
    missing.poll(channel("passwordAlias", "nowhere"), work);
    assertThat(missing.problem()).contains("no password alias 'nowhere' (create it with asadmin create-password-alias)");
    assertThat(taken()).isEmpty();
  }

  @Test
  void aServerThatIsDownIsTriedAgainAtTheNextPoll() throws IOException {
    upload("a.hl7", MESSAGE);
    SftpChannel channel = channel();
    SftpChannelPoll poll = poller();
    poll.poll(channel, work);
    Instant good = poll.state().lastSuccessfulPoll();
    server.stop();
    assertThat(poll.poll(channel, work)).isZero();
    assertThat(poll.problem()).contains("SFTP channel 'lab' (engine@127.0.0.1:" + server.port() + ", folder /outbox)").contains("trying again");
    SftpChannelState down = poll.state();
    assertThat(down.condition()).isEqualTo(SftpChannelState.Condition.ERROR);
    assertThat(down.detail()).isEqualTo(poll.problem());
    assertThat(down.lastSuccessfulPoll()).isEqualTo(good);
    assertThat(down.lastPoll()).isAfterOrEqualTo(good);
    assertThat(down.summary()).startsWith("error: SFTP channel 'lab'").contains("(last successful poll: " + good + "; files taken: 0)");
    server.start();
    poll.poll(channel, work);
    assertThat(poll.problem()).isNull();
    assertThat(poll.state().condition()).isEqualTo(SftpChannelState.Condition.OK);
    assertThat(poll.state().lastSuccessfulPoll()).isAfterOrEqualTo(down.lastPoll());
    poll.poll(channel, work);
    assertThat(taken()).hasSize(1);
    assertThat(poll.state().filesTaken()).isEqualTo(1);
  }

  @Test
  void aMissingRemoteFolderIsAnErrorOfTheChannel() {
    SftpChannelPoll poll = poller();
    poll.poll(channel("directory", "/no-such-folder"), work);
    assertThat(poll.state().condition()).isEqualTo(SftpChannelState.Condition.ERROR);
    assertThat(poll.state().detail()).contains("folder /no-such-folder").contains("No such file");
    assertThat(poll.state().lastSuccessfulPoll()).isNull();
  }
}
