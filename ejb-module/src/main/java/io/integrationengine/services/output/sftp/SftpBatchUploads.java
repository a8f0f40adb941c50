package io.integrationengine.services.output.sftp;

import io.integrationengine.core.model.MessageIds;
import io.integrationengine.core.sftp.SftpFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Uploads an sftp destination's closed HL7 batch files from its local staging folder, where they
 * are built as a file destination builds them, so that each appears on the server whole and once,
 * whenever the engine stops:
 *
 * <ol>
 *   <li>the file is written to the server as {@code .<name>.tmp} (again from the start after a stop);
 *   <li>locally, {@code <name>} is renamed {@code .<name>.renaming}: the server has all of it;
 *   <li>on the server, {@code .<name>.tmp} is renamed {@code <name>};
 *   <li>the local {@code .<name>.renaming} is deleted.
 * </ol>
 *
 * A {@code .renaming} file left by a stop is finished first: if the server still has the temporary
 * file, the rename did not happen and is done now; if not, it did (and a reader may already have
 * taken the file), so nothing is sent again. A batch whose name another file on the server already
 * has keeps that file and is renamed {@code <name>_<new id>.<extension>} instead. Not thread safe:
 * the caller holds the destination's connection.
 */
final class SftpBatchUploads {

  private static final Logger LOG = Logger.getLogger(SftpBatchUploads.class.getName());
  static final String RENAMING = ".renaming";

  private SftpBatchUploads() {}

  /** True when the staging folder holds a closed batch not yet (wholly) on the server. */
  static boolean pending(Path staging) throws IOException {
    return !files(staging, SftpBatchUploads::closed).isEmpty() || !files(staging, SftpBatchUploads::renaming).isEmpty();
  }

  /**
   * Uploads the closed batches waiting in {@code staging} to the remote {@code directory} (created
   * when missing).
   *
   * @return the remote paths of the batches that appeared on the server
   */
  static List<String> upload(SftpClient sftp, Path staging, String directory) throws IOException {
    List<String> uploaded = new ArrayList<>();
    for (Path marker : files(staging, SftpBatchUploads::renaming)) {
      String file = marker.getFileName().toString();
      finishRename(sftp, marker, directory, file.substring(1, file.length() - RENAMING.length())).ifPresent(uploaded::add);
    }
    for (Path batch : files(staging, SftpBatchUploads::closed)) {
      String name = batch.getFileName().toString();
      String temporary = temporary(directory, name);
      try {
        write(sftp, temporary, batch);
      } catch (IOException e) {
        if (!SftpFiles.missing(e)) {
          throw e;
        }
        SftpFiles.createDirectories(sftp, directory);
        write(sftp, temporary, batch);
      }
      Path marker = batch.resolveSibling("." + name + RENAMING);
      Files.move(batch, marker, StandardCopyOption.ATOMIC_MOVE);
      finishRename(sftp, marker, directory, name).ifPresent(uploaded::add);
    }
    return uploaded;
  }

  private static Optional<String> finishRename(SftpClient sftp, Path marker, String directory, String name) throws IOException {
    String temporary = temporary(directory, name);
    if (!SftpFiles.exists(sftp, temporary)) {
      LOG.info(() -> "batch file " + name + " was renamed on the server before the engine stopped; not sent again");
      Files.delete(marker);
      return Optional.empty();
    }
    String target = directory + "/" + name;
    try {
      sftp.rename(temporary, target);
    } catch (IOException e) {
      if (!SftpFiles.exists(sftp, target)) {
        throw e;
      }
      int dot = name.lastIndexOf('.');
      String other = dot > 0 ? name.substring(0, dot) + "_" + MessageIds.next() + name.substring(dot) : name + "_" + MessageIds.next();
      String taken = target;
      target = directory + "/" + other;
      String renamed = target;
      LOG.warning(() -> "the server already has a file " + taken + " (not written by this batch): the batch is named " + renamed + " instead");
      sftp.rename(temporary, target);
    }
    Files.delete(marker);
    return Optional.of(target);
  }

  private static String temporary(String directory, String name) {
    return directory + "/." + name + ".tmp";
  }

  private static void write(SftpClient sftp, String path, Path file) throws IOException {
    try (OutputStream out = sftp.write(path)) {
      Files.copy(file, out);
    }
  }

  /** A batch renamed to its final name: not a dot file (the open batch, its index, {@code .last}, markers). */
  private static boolean closed(String name) {
    return !name.startsWith(".");
  }

  private static boolean renaming(String name) {
    return name.startsWith(".") && name.endsWith(RENAMING);
  }

  /** The regular files of the folder whose names match, in name order (batch names start with their time). */
  private static List<Path> files(Path folder, Predicate<String> names) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        if (names.test(entry.getFileName().toString()) && Files.isRegularFile(entry)) {
          found.add(entry);
        }
      }
    }
    found.sort(null);
    return found;
  }
}
