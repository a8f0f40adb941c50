package io.integrationengine.services.output.sftp;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.model.ContentType;
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
import io.integrationengine.services.output.file.BatchSettings;
import io.integrationengine.services.output.file.FileNamePattern;
import io.integrationengine.services.output.file.Hl7BatchFiles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * {@code fileName}, and the connection's ({@link SftpEndpoint}).
 *
 * <p>With {@code batchSize} or {@code batchWindowSeconds} the destination writes HL7 batch files: each
 * batch is built locally in {@code <engine.out.dir>/.sftp/<destination>/} by the file destinations'
 * {@link Hl7BatchFiles} (a message is delivered once it is in the batch, also across a crash), and
 * uploaded once closed ({@link SftpBatchUploads}: temporary name, then rename, once), by
 * {@link #closeAndUploadBatches} on the container's executor.
 */
@ApplicationScoped
public class SftpDestinationConnector implements DestinationConnector {

  private static final Logger LOG = Logger.getLogger(SftpDestinationConnector.class.getName());
  /** Under {@code engine.out.dir}: each batch destination's staging folder. */
  static final String STAGING = ".sftp";

  private final Map<String, SftpConnection> connections = new ConcurrentHashMap<>();
  private final Hl7BatchFiles batches = new Hl7BatchFiles();
  private final Map<String, AtomicBoolean> uploading = new ConcurrentHashMap<>();
  private final Map<String, String> uploadProblems = new ConcurrentHashMap<>();
  private SftpConnections sessions;
  private Path configDirectory;
  private Path staging;

  public SftpDestinationConnector() {}

  @Inject
  public SftpDestinationConnector(SftpConnections sessions) {
    this(sessions, EngineSettings.load().configDirectory(), EngineSettings.load().outputDirectory());
  }

  /**
   * For tests: relative key and known_hosts paths resolve against {@code configDirectory}; batches
   * are built in {@code <outputDirectory>/.sftp/<destination>}.
   */
  public SftpDestinationConnector(SftpConnections sessions, Path configDirectory, Path outputDirectory) {
    this.sessions = sessions;
    this.configDirectory = configDirectory;
    this.staging = outputDirectory.resolve(STAGING);
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
    directory = trimSlash(directory);
    String extension = destination.settings().getOrDefault("extension", message.content().type().extension());
    BatchSettings batch;
    try {
      batch = BatchSettings.of(destination);
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': " + e.getMessage());
    }
    if (batch != null) {
      return addToBatch(message, destination, endpoint, directory, batch, extension);
    }
    String name;
    try {
      name = FileDestinationConnector.fileName(message, destination, extension);
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

  /** Adds the message to the destination's local batch; the batch is uploaded once closed. */
  private String addToBatch(OutboundMessage message, DestinationDefinition destination, SftpEndpoint endpoint, String directory, BatchSettings batch, String extension)
      throws IOException, PermanentDeliveryFailure {
    if (message.content().type() != ContentType.HL7V2_ER7) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' writes HL7 batch files; this message is "
          + message.content().type().mediaType() + ", not HL7v2 ER7");
    }
    FileNamePattern names;
    try {
      String pattern = destination.setting("fileName");
      // one folder on the server, as for single files: a / of the pattern becomes _
      names = pattern == null || pattern.isBlank() ? null : FileNamePattern.parse(pattern.strip().replace('/', '_'));
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': " + e.getMessage());
    }
    Path local = batches.add(staging(destination), destination.name(), batch, message, names, extension);
    String target = directory + "/" + local.getFileName();
    return "sftp://" + endpoint.address() + (target.startsWith("/") ? "" : "/") + target;
  }

  /**
   * Closes the batches of these sftp destinations whose window has passed, and hands each
   * destination with closed batches to {@code executor} to upload them (one upload at a time per
   * destination; the container's timer calls this every two seconds, see {@code BatchFileCloser}).
   */
  public void closeAndUploadBatches(Collection<DestinationDefinition> destinations, Executor executor) {
    for (DestinationDefinition destination : destinations) {
      if (!type().equalsIgnoreCase(destination.type())) {
        continue;
      }
      try {
        BatchSettings batch = BatchSettings.of(destination);
        if (batch != null) {
          batches.closeIfDue(staging(destination), destination.name(), batch);
        }
      } catch (IllegalArgumentException e) {
        // reported by its deliveries; batches closed earlier are still uploaded
      }
      boolean pending;
      try {
        pending = SftpBatchUploads.pending(staging(destination));
      } catch (IOException e) {
        LOG.log(Level.WARNING, "destination '" + destination.name() + "': cannot list its batch files in " + staging(destination), e);
        continue;
      }
      AtomicBoolean busy = uploading.computeIfAbsent(destination.name(), n -> new AtomicBoolean());
      if (pending && busy.compareAndSet(false, true)) {
        try {
          executor.execute(() -> {
            try {
              uploadBatches(destination);
            } finally {
              busy.set(false);
            }
          });
        } catch (RuntimeException e) {
          busy.set(false);
          LOG.log(Level.WARNING, "destination '" + destination.name() + "': could not start uploading its batch files now", e);
        }
      }
    }
  }

  /**
   * Uploads the destination's closed batch files now. Never throws: a problem is logged once (until
   * it changes), and the files wait for the next try.
   *
   * @return the remote paths of the batch files that appeared on the server
   */
  public List<String> uploadBatches(DestinationDefinition destination) {
    String what = "destination '" + destination.name() + "' (sftp)";
    SftpEndpoint endpoint;
    String directory = SftpEndpoint.optional(destination.settings(), "directory");
    try {
      endpoint = SftpEndpoint.of(what, destination.settings(), configDirectory);
      if (directory == null) {
        throw new IllegalArgumentException(what + " has no 'directory'");
      }
    } catch (IllegalArgumentException e) {
      reportUpload(destination, "cannot upload its batch files: " + e.getMessage(), null);
      return List.of();
    }
    SftpConnection connection = connections.computeIfAbsent(destination.name(), n -> sessions.connection());
    synchronized (connection) {
      try {
        List<String> uploaded = SftpBatchUploads.upload(connection.client(endpoint), staging(destination), trimSlash(directory));
        if (uploadProblems.remove(destination.name()) != null) {
          LOG.info(() -> what + " (" + endpoint.address() + "): uploading its batch files again");
        }
        uploaded.forEach(path -> LOG.fine(() -> what + ": batch file uploaded to " + path));
        return uploaded;
      } catch (SftpRefused e) {
        connection.close();
        reportUpload(destination, e.getMessage() + "; its closed batch files wait in " + staging(destination), null);
      } catch (IOException | RuntimeException e) {
        connection.close();
        reportUpload(destination, what + " (" + endpoint.address() + ", " + directory + "): cannot upload its batch files from " + staging(destination) + " now: " + e
            + "; trying again in two seconds", e);
      }
    }
    return List.of();
  }

  private void reportUpload(DestinationDefinition destination, String reason, Throwable e) {
    if (!reason.equals(uploadProblems.put(destination.name(), reason))) {
      LOG.log(Level.WARNING, reason, e);
    }
  }

  /** Where the destination's batches are built and wait for their upload. */
  Path staging(DestinationDefinition destination) {
    return staging.resolve(destination.name().replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private static String trimSlash(String directory) {
    String trimmed = directory;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
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
