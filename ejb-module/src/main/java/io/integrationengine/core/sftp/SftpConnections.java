package io.integrationengine.core.sftp;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Opens SFTP sessions for channels and destinations with Apache MINA SSHD's client: one
 * {@link SshClient} for the application (its I/O threads are the library's), one session per
 * {@link SftpConnection}. The server's host key is checked against the endpoint's fingerprints or
 * known_hosts file before anything else; a key that is unknown or changed closes the session, and
 * the refusal says which key was offered and what was expected.
 */
@ApplicationScoped
public class SftpConnections {

  private static final AttributeKey<HostKeyCheck> CHECK = new AttributeKey<>();

  private final Function<String, String> secrets;
  private SshClient client;

  /** The results of opening: the session and its SFTP channel. */
  record Opened(ClientSession session, SftpClient sftp) {}

  public SftpConnections() {
    this(alias -> ConfigProvider.getConfig().getOptionalValue(alias, String.class).orElse(null));
  }

  /** For tests: password aliases from {@code secrets}. */
  public SftpConnections(Function<String, String> secrets) {
    this.secrets = secrets;
  }

  /** A new connection, opened at its first use. */
  public SftpConnection connection() {
    return new SftpConnection(this);
  }

  private synchronized SshClient client() {
    if (client == null) {
      SshClient c = SshClient.setUpDefaultClient();
      c.setServerKeyVerifier(SftpConnections::verify);
      c.start();
      client = c;
    }
    return client;
  }

  @PreDestroy
  public synchronized void stop() {
    if (client != null) {
      client.stop();
      client = null;
    }
  }

  Opened open(SftpEndpoint endpoint) throws IOException, SftpRefused {
    HostKeyCheck check = new HostKeyCheck(endpoint);
    ClientSession session = client().connect(endpoint.user(), endpoint.host(), endpoint.port(), AttributeRepository.ofKeyValuePair(CHECK, check), null)
        .verify(endpoint.timeout()).getSession();
    try {
      // the key exchange (and so the host key check) first: an untrusted server is reported as such, whatever else is wrong
      session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED), endpoint.timeout());
      if (check.refusal == null) {
        if (endpoint.passwordAlias() != null) {
          session.addPasswordIdentity(secret(endpoint, endpoint.passwordAlias()));
        }
        if (endpoint.privateKey() != null) {
          for (KeyPair key : keys(endpoint)) {
            session.addPublicKeyIdentity(key);
          }
        }
        session.auth().verify(endpoint.timeout());
        return new Opened(session, SftpClientFactory.instance().createSftpClient(session));
      }
    } catch (SftpRefused e) {
      session.close(true);
      throw e;
    } catch (IOException | RuntimeException e) {
      session.close(true);
      if (check.refusal == null) {
        if (authenticationFailed(e)) {
          throw new SftpRefused(endpoint.what() + " (" + endpoint.address() + "): the server refused the credentials of user '" + endpoint.user() + "' ("
              + (endpoint.passwordAlias() == null ? "" : "password alias '" + endpoint.passwordAlias() + "'")
              + (endpoint.passwordAlias() != null && endpoint.privateKey() != null ? ", " : "")
              + (endpoint.privateKey() == null ? "" : "key " + endpoint.privateKey()) + ")", e);
        }
        throw e;
      }
    }
    session.close(true);
    throw new SftpRefused(endpoint.what() + " (" + endpoint.address() + "): host key refused: " + check.refusal
        + "; nothing is sent or taken until the server's key is trusted (knownHosts or hostKeyFingerprint)");
  }

  private static boolean authenticationFailed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SshException ssh && ssh.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("No more authentication methods available")) {
        return true;
      }
    }
    return false;
  }

  private String secret(SftpEndpoint endpoint, String alias) throws SftpRefused {
    String value = secrets.apply(alias);
    if (value == null) {
      throw new SftpRefused(endpoint.what() + ": no password alias '" + alias + "' (create it with asadmin create-password-alias)");
    }
    return value;
  }

  private Iterable<KeyPair> keys(SftpEndpoint endpoint) throws SftpRefused {
    String passphrase = endpoint.passphraseAlias() == null ? null : secret(endpoint, endpoint.passphraseAlias());
    try (InputStream in = Files.newInputStream(endpoint.privateKey())) {
      Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(endpoint.privateKey().toString()), in,
          passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase));
      if (keys == null || !keys.iterator().hasNext()) {
        throw new SftpRefused(endpoint.what() + ": no key in " + endpoint.privateKey());
      }
      return keys;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new SftpRefused(endpoint.what() + ": cannot read the private key " + endpoint.privateKey() + ": " + e.getMessage(), e);
    }
  }

  private static boolean verify(ClientSession session, SocketAddress remote, PublicKey key) {
    AttributeRepository context = session.getConnectionContext();
    HostKeyCheck check = context == null ? null : context.getAttribute(CHECK);
    return check != null && check.verify(session, remote, key);
  }

  /** The host key check of one connection attempt, keeping why it refused. */
  static final class HostKeyCheck {

    private final SftpEndpoint endpoint;
    volatile String refusal;

    HostKeyCheck(SftpEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    boolean verify(ClientSession session, SocketAddress remote, PublicKey key) {
      String offered = KeyUtils.getKeyType(key) + " key " + SftpEndpoint.normalized(endpoint.what(), KeyUtils.getFingerPrint(key));
      if (endpoint.fingerprints().contains(SftpEndpoint.normalized(endpoint.what(), KeyUtils.getFingerPrint(key)))) {
        return true;
      }
      if (endpoint.knownHosts() == null) {
        refusal = "the server offered its " + offered + ", which is not among hostKeyFingerprint " + endpoint.fingerprints();
        return false;
      }
      if (!Files.isReadable(endpoint.knownHosts())) {
        refusal = "the known_hosts file " + endpoint.knownHosts() + " cannot be read (the server offered its " + offered + ")";
        return false;
      }
      KnownHostsServerKeyVerifier knownHosts = new KnownHostsServerKeyVerifier((s, r, k) -> {
        refusal = "the server offered its " + offered + ", and " + endpoint.knownHosts() + " has no key for " + hostEntry() + " (unknown host)";
        return false;
      }, endpoint.knownHosts());
      knownHosts.setModifiedServerKeyAcceptor((s, r, entry, expected, actual) -> {
        refusal = "the server offered its " + offered + ", but " + endpoint.knownHosts() + " has a different key for " + hostEntry() + " ("
            + KeyUtils.getKeyType(expected) + " key " + SftpEndpoint.normalized(endpoint.what(), KeyUtils.getFingerPrint(expected))
            + "): the server's key changed, or this is not the server";
        return false;
      });
      if (knownHosts.verifyServerKey(session, remote, key)) {
        return true;
      }
      if (refusal == null) {
        refusal = "the server offered its " + offered + ", which " + endpoint.knownHosts() + " does not accept for " + hostEntry();
      }
      return false;
    }

    private String hostEntry() {
      return endpoint.port() == 22 ? endpoint.host() : "[" + endpoint.host() + "]:" + endpoint.port();
    }
  }
}
