package io.integrationengine.core.sftp;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server for the tests (Apache MINA SSHD's): on 127.0.0.1, a free port kept across a
 * stop and start, the folder {@code root} as its file system, user {@code engine} with password
 * {@code secret}, and a host key generated into {@code hostKey}.
 */
public final class SftpTestServer implements AutoCloseable {

  public static final String USER = "engine";
  public static final String PASSWORD = "secret";

  private final Path root;
  private final SimpleGeneratorHostKeyProvider keys;
  private SshServer server;
  private int port;

  public SftpTestServer(Path root, Path hostKey) throws IOException {
    this.root = root;
    keys = new SimpleGeneratorHostKeyProvider(hostKey);
    keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    keys.setKeySize(256);
    start();
  }

  /** Starts the server, on the port it had before if it ran before (an SshServer cannot be started twice: a new one). */
  public void start() throws IOException {
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(port);
    server.setKeyPairProvider(keys);
    server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
    port = server.getPort();
  }

  public int port() {
    return port;
  }

  public Path root() {
    return root;
  }

  public PublicKey hostKey() {
    try {
      return server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code SHA256:...}, as ssh-keygen -lf prints it. */
  public String fingerprint() {
    return KeyUtils.getFingerPrint(hostKey());
  }

  /** The server's line in a known_hosts file. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey());
  }

  public void stop() throws IOException {
    server.stop(true);
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
