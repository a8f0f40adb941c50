package io.integrationengine.core.sftp;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * One SSH session and its SFTP channel, kept open between uses and opened again when it was closed
 * (the server restarted, the network broke) or the settings changed. Not thread safe: its user
 * serializes the calls (one poll of a channel at a time; deliveries to a destination one at a time).
 */
public final class SftpConnection implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SftpConnection.class.getName());

  private final SftpConnections connections;
  private SftpEndpoint endpoint;
  private ClientSession session;
  private SftpClient sftp;

  SftpConnection(SftpConnections connections) {
    this.connections = connections;
  }

  /**
   * The open SFTP client for {@code endpoint}: the one already open, or a new session.
   *
   * @throws SftpRefused when the host key is not trusted, the credentials are refused, a secret is missing
   * @throws IOException when the server cannot be reached now
   */
  public SftpClient client(SftpEndpoint endpoint) throws IOException, SftpRefused {
    if (sftp != null && sftp.isOpen() && session.isOpen() && endpoint.equals(this.endpoint)) {
      return sftp;
    }
    close();
    SftpConnections.Opened opened = connections.open(endpoint);
    this.endpoint = endpoint;
    this.session = opened.session();
    this.sftp = opened.sftp();
    return sftp;
  }

  /** Closes the session; the next {@link #client} opens a new one. */
  @Override
  public void close() {
    if (sftp != null) {
      try {
        sftp.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "closing SFTP channel", e);
      }
    }
    if (session != null) {
      session.close(true);
    }
    sftp = null;
    session = null;
    endpoint = null;
  }
}
