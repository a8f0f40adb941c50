package io.integrationengine.services.output.file;

import io.integrationengine.services.output.OutboundMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open HL7 batch files of the file destinations, one per destination and folder
 * ({@link Hl7BatchFile}). A batch is closed when it holds {@code batchSize} messages, or by
 * {@link #closeIfDue} once its window has passed.
 */
public final class Hl7BatchFiles {

  private static final Logger LOG = Logger.getLogger(Hl7BatchFiles.class.getName());
  /** The default name of a batch file: when it was opened and its first message. */
  private static final FileNamePattern DEFAULT_NAME = FileNamePattern.parse("batch_${date:yyyyMMddHHmmssSSS}_${messageId}");

  private record Key(Path folder, String destination) {}

  private final Map<Key, Hl7BatchFile> open = new ConcurrentHashMap<>();

  /** Adds the message to its destination's batch (closing it when full); answers the batch file's final path. */
  public Path add(Path folder, String destination, BatchSettings settings, OutboundMessage message, FileNamePattern names, String extension)
      throws IOException {
    Hl7BatchFile batch = batch(folder, destination);
    synchronized (batch) {
      Path target = batch.add(message, names == null ? DEFAULT_NAME : names, extension, Hl7BatchFile.now());
      if (batch.count() >= settings.size()) {
        batch.close();
      }
      return target;
    }
  }

  /** Closes the destination's batch if its window has passed (loading it from disk after a restart). */
  public void closeIfDue(Path folder, String destination, BatchSettings settings) {
    try {
      Hl7BatchFile batch = batch(folder, destination);
      synchronized (batch) {
        if (batch.olderThan(settings.window(), Instant.now())) {
          Path closed = batch.close();
          LOG.fine(() -> "batch file of " + destination + " closed: " + closed);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot close the batch file of destination " + destination + " in " + folder, e);
    }
  }

  private Hl7BatchFile batch(Path folder, String destination) throws IOException {
    try {
      return open.computeIfAbsent(new Key(folder, destination), key -> {
        try {
          return Hl7BatchFile.load(key.folder(), key.destination());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
