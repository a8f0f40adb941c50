package io.integrationengine.services.input.file.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SftpChannelTest {

  private static final Path CONFIG = Path.of("/engine/config");

  private static Properties definition(String... keyValues) {
    Properties p = new Properties();
    p.setProperty("type", "sftp");
    p.setProperty("host", "sftp.lab.example");
    p.setProperty("user", "engine");
    p.setProperty("passwordAlias", "lab-sftp");
    p.setProperty("hostKeyFingerprint", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) {
        p.remove(keyValues[i]);
      } else {
        p.setProperty(keyValues[i], keyValues[i + 1]);
      }
    }
    return p;
  }

  @Test
  void defaults() {
    SftpChannel channel = SftpChannel.from("lab", definition(), CONFIG);
    assertThat(SftpChannel.isSftp(definition())).isTrue();
    assertThat(channel.endpoint().port()).isEqualTo(22);
    assertThat(channel.endpoint().address()).isEqualTo("engine@sftp.lab.example:22");
    assertThat(channel.endpoint().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(channel.directory()).isEqualTo(".");
    assertThat(channel.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(channel.afterDownload()).isEqualTo(SftpChannel.AfterDownload.ARCHIVE);
    assertThat(channel.remotePath("a.hl7")).isEqualTo("a.hl7");
    assertThat(channel.archivePath("a.hl7")).isEqualTo("archive/a.hl7");
    assertThat(channel.enabled()).isTrue();
  }

  @Test
  void allSettings() {
    SftpChannel channel = SftpChannel.from("lab", definition("port", "2222", "directory", "/outbox/", "pollMillis", "1000", "afterDownload", "Delete",
        "archiveDirectory", "/done", "privateKey", "keys/lab", "privateKeyPassphraseAlias", "lab-key", "knownHosts", "/etc/engine/known_hosts",
        "hostKeyFingerprint", "SHA256:abc=, SHA256:def", "timeoutMillis", "3000", "enabled", "false"), CONFIG);
    assertThat(channel.endpoint().port()).isEqualTo(2222);
    assertThat(channel.endpoint().privateKey()).isEqualTo(Path.of("/engine/config/keys/lab"));
    assertThat(channel.endpoint().passphraseAlias()).isEqualTo("lab-key");
    assertThat(channel.endpoint().knownHosts()).isEqualTo(Path.of("/etc/engine/known_hosts"));
    assertThat(channel.endpoint().fingerprints()).isEqualTo(List.of("SHA256:abc", "SHA256:def"));
    assertThat(channel.endpoint().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(channel.directory()).isEqualTo("/outbox");
    assertThat(channel.remotePath("a.hl7")).isEqualTo("/outbox/a.hl7");
    assertThat(channel.archivePath("a.hl7")).isEqualTo("/done/a.hl7");
    assertThat(channel.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(channel.afterDownload()).isEqualTo(SftpChannel.AfterDownload.DELETE);
    assertThat(channel.enabled()).isFalse();
  }

  @Test
  void theArchiveIsRelativeToThePolledFolder() {
    assertThat(SftpChannel.from("lab", definition("directory", "out"), CONFIG).archivePath("a")).isEqualTo("out/archive/a");
    assertThat(SftpChannel.from("lab", definition("directory", "/"), CONFIG).remotePath("a")).isEqualTo("/a");
  }

  @Test
  void wrongOrMissingSettingsSayWhich() {
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("host", null), CONFIG)).hasMessage("sftp channel 'lab' has no 'host'");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("user", " "), CONFIG)).hasMessage("sftp channel 'lab' has no 'user'");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("passwordAlias", null), CONFIG)).hasMessageContaining("give passwordAlias");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("hostKeyFingerprint", null), CONFIG))
        .hasMessageContaining("the server's host key must be known: give knownHosts (a known_hosts file) or hostKeyFingerprint");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("hostKeyFingerprint", "MD5:ab:cd"), CONFIG))
        .hasMessageContaining("hostKeyFingerprint must be SHA256:<base64>");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("port", "70000"), CONFIG)).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("port", "ssh"), CONFIG)).hasMessageContaining("port must be a whole number, not 'ssh'");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("pollMillis", "10"), CONFIG)).hasMessageContaining("pollMillis must be at least 100");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("afterDownload", "keep"), CONFIG))
        .hasMessageContaining("afterDownload must be archive or delete, not 'keep'");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("archiveDirectory", "."), CONFIG))
        .hasMessageContaining("archiveDirectory must be another folder");
    assertThatThrownBy(() -> SftpChannel.from("lab", definition("enabled", "yes"), CONFIG)).hasMessageContaining("enabled must be true or false");
  }

  @Test
  void aFileKeepsItsIdWhileItIsTheSameFile() {
    String id = SftpFileIds.of("lab", "out/a.hl7", 120, 1_700_000_000_000L);
    assertThat(id).hasSize(36).doesNotContain("_");
    assertThat(SftpFileIds.of("lab", "out/a.hl7", 120, 1_700_000_000_000L)).isEqualTo(id);
    assertThat(SftpFileIds.of("lab", "out/a.hl7", 121, 1_700_000_000_000L)).isNotEqualTo(id);
    assertThat(SftpFileIds.of("lab", "out/a.hl7", 120, 1_700_000_001_000L)).isNotEqualTo(id);
    assertThat(SftpFileIds.of("other", "out/a.hl7", 120, 1_700_000_000_000L)).isNotEqualTo(id);
    assertThat(java.util.UUID.fromString(id).version()).isEqualTo(7);
  }
}
