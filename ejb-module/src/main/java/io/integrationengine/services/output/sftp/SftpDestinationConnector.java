package io.integrationengine.services.output.sftp;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.sftp.SftpConnection;
import io.integrationengine.core.sftp.SftpConnections;
import io.integrationengine.core.sftp.SftpEndpoint;
import io.integrationengine.core.sftp.SftpFiles;
import io.integrationengine.core.sftp.SftpRefused;
import io.integrationengine.services.output.DestinationConnector;
import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.FileDestinationConnector;
import io.integrationengine.services.output.OutboundMessage;
import io.integrationengine.services.output.PermanentDeliveryFailure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Writes each message's bytes, unchanged, to a file in the destination's remote {@code directory}
 * on an SFTP server, named as a file destination names its files (control id and message id, so a
 * second delivery of a message replaces its file). The file is written as {@code .<name>.tmp} and
 * renamed, so a reader of the folder never sees half a message.
 *
 * <p>Each destination keeps one SSH session, used by one delivery at a time and opened again when it
 * broke. A server that cannot be reached, or an SFTP error (a folder not writable), is retried with
 * the destination's backoff; a host key that is not trusted, refused credentials, a missing password
 * alias or key file, or a missing setting dead-letter the delivery at once with the reason: retrying
 * cannot help until an operator acts (then replay it). Settings: {@code directory}, {@code extension},
 * and the connection's ({@link SftpEndpoint}).
 */
@ApplicationScoped
public class SftpDestinationConnector implements DestinationConnector {

  private final Map<String, SftpConnection> connections = new ConcurrentHashMap<>();
  private SftpConnections sessions;
  private Path configDirectory;

  public SftpDestinationConnector() {}

  @Inject
  public SftpDestinationConnector(SftpConnections sessions) {
    this(sessions, EngineSettings.load().configDirectory());
  }

  /** For tests: relative key and known_hosts paths resolve against {@code configDirectory}. */
  public SftpDestinationConnector(SftpConnections sessions, Path configDirectory) {
    this.sessions = sessions;
    this.configDirectory = configDirectory;
  }

  @Override
  public String type() {
    return "sftp";
  }

  @Override
  public String deliver(OutboundMessage message, DestinationDefinition destination) throws IOException, PermanentDeliveryFailure {
    SftpEndpoint endpoint;
    try {
      endpoint = SftpEndpoint.of("destination '" + destination.name() + "' (sftp)", destination.settings(), configDirectory);
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure(e.getMessage());
    }
    String directory = SftpEndpoint.optional(destination.settings(), "directory");
    if (directory == null) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' (sftp) has no 'directory'");
    }
    while (directory.length() > 1 && directory.endsWith("/")) {
      directory = directory.substring(0, directory.length() - 1);
    }
    String name;
    try {
      name = FileDestinationConnector.fileName(message, destination, destination.settings().getOrDefault("extension", message.content().type().extension()));
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': " + e.getMessage());
    }
    String target = directory + "/" + name;
    String temporary = directory + "/." + name + ".tmp";
    SftpConnection connection = connections.computeIfAbsent(destination.name(), n -> sessions.connection());
    synchronized (connection) {
      try {
        SftpClient sftp = connection.client(endpoint);
        try {
          write(sftp, temporary, message.content().bytes());
        } catch (IOException e) {
          if (!SftpFiles.missing(e)) {
            throw e;
          }
          SftpFiles.createDirectories(sftp, directory);
          write(sftp, temporary, message.content().bytes());
        }
        rename(sftp, temporary, target);
      } catch (SftpRefused e) {
        connection.close();
        throw new PermanentDeliveryFailure(e.getMessage());
      } catch (IOException | RuntimeException e) {
        connection.close();
        throw new IOException("destination '" + destination.name() + "' (sftp " + endpoint.address() + ", " + target + "): " + e.getMessage(), e);
      }
    }
    return "sftp://" + endpoint.address() + (target.startsWith("/") ? "" : "/") + target;
  }

  private static void write(SftpClient sftp, String path, byte[] bytes) throws IOException {
    try (OutputStream out = sftp.write(path)) {
      out.write(bytes);
    }
  }

  /** SFTP version 3 servers refuse to rename onto an existing file: a message delivered again replaces its earlier copy. */
  private static void rename(SftpClient sftp, String from, String to) throws IOException {
    try {
      sftp.rename(from, to);
    } catch (IOException e) {
      if (!SftpFiles.exists(sftp, to)) {
        throw e;
      }
      sftp.remove(to);
      sftp.rename(from, to);
    }
  }

  @PreDestroy
  void close() {
    connections.values().forEach(c -> {
      synchronized (c) {
        c.close();
      }
    });
  }
}
