package io.integrationengine.services.output;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.file.BatchSettings;
import io.integrationengine.services.output.file.FileNamePattern;
import io.integrationengine.services.output.file.Hl7BatchFiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;

/**
 * Writes each message's bytes, unchanged, to a file in the destination's {@code directory}
 * (absolute, or relative to {@code engine.out.dir}). The file is written under a temporary name
 * and renamed, so a reader polling the folder never sees half a message.
 *
 * <p>The name is the destination's {@code fileName} pattern ({@link FileNamePattern}), by default
 * {@code <control id>_<message id>}, then {@code .} and the destination's {@code extension}, else
 * the content type's ({@code hl7}, {@code xml}, {@code json}). A name with the message id in it
 * makes delivering the same message twice leave one file. A pattern without it may name two
 * messages alike: the second then gets {@code _<message id>} before the extension, never
 * overwriting the first; the message id is kept in the file's extended attribute
 * {@code user.engine.messageId} so a redelivery of the same message is recognised (where the file
 * system has no user attributes, by equal bytes).
 *
 * <p>With {@code batchSize} or {@code batchWindowSeconds} the destination writes HL7 batch files
 * instead ({@link Hl7BatchFiles}).
 */
@ApplicationScoped
public class FileDestinationConnector implements DestinationConnector {

  static final String MESSAGE_ID_ATTRIBUTE = "engine.messageId";

  private final Path base;
  private final Hl7BatchFiles batches = new Hl7BatchFiles();

  public FileDestinationConnector() {
    this(EngineSettings.load().outputDirectory());
  }

  /** For tests: relative directories resolve against {@code base}. */
  public FileDestinationConnector(Path base) {
    this.base = base;
  }

  @Override
  public String type() {
    return "file";
  }

  @Override
  public String deliver(OutboundMessage message, DestinationDefinition destination) throws IOException, PermanentDeliveryFailure {
    String directory = destination.setting("directory");
    if (directory == null || directory.isBlank()) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' has no 'directory'");
    }
    Path folder = base.resolve(directory.strip()).normalize();
    String extension = destination.settings().getOrDefault("extension", message.content().type().extension());
    FileNamePattern names;
    BatchSettings batch;
    try {
      batch = BatchSettings.of(destination);
      String pattern = destination.setting("fileName");
      names = pattern == null || pattern.isBlank() ? null : FileNamePattern.parse(pattern.strip());
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': " + e.getMessage());
    }
    if (batch != null) {
      if (message.content().type() != ContentType.HL7V2_ER7) {
        throw new PermanentDeliveryFailure("destination '" + destination.name() + "' writes HL7 batch files; this message is "
            + message.content().type().mediaType() + ", not HL7v2 ER7");
      }
      return batches.add(folder, destination.name(), batch, message, names, extension).toString();
    }
    Files.createDirectories(folder);
    String name = (names == null ? defaultName(message) : names.resolve(message, destination.name(), ZonedDateTime.now())) + "." + extension;
    Path target = folder.resolve(name).normalize();
    if (!target.startsWith(folder)) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': file name '" + name + "' leaves its directory");
    }
    Files.createDirectories(target.getParent());
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(temporary, message.content().bytes());
    tag(temporary, message.messageId());
    if (names == null || names.unique()) {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target.toString();
    }
    return placeBesideOthers(temporary, target, message);
  }

  /** Closes the batch files of these destinations that are open longer than their window. */
  public void closeDueBatches(Collection<DestinationDefinition> destinations) {
    for (DestinationDefinition destination : destinations) {
      if (!type().equalsIgnoreCase(destination.type()) || destination.setting("directory") == null) {
        continue;
      }
      BatchSettings batch;
      try {
        batch = BatchSettings.of(destination);
      } catch (IllegalArgumentException e) {
        continue; // reported by the deliveries
      }
      if (batch != null) {
        batches.closeIfDue(base.resolve(destination.setting("directory").strip()).normalize(), destination.name(), batch);
      }
    }
  }

  /** A name that may be taken: never replace another message's file; recognise this message's own. */
  private static String placeBesideOthers(Path temporary, Path target, OutboundMessage message) throws IOException {
    Path candidate = target;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        // a hard link fails when the name exists, where a rename would replace it
        Files.createLink(candidate, temporary);
        Files.delete(temporary);
        return candidate.toString();
      } catch (FileAlreadyExistsException taken) {
        if (sameMessage(candidate, message)) {
          Files.delete(temporary);
          return candidate.toString();
        }
        String file = target.getFileName().toString();
        int dot = file.lastIndexOf('.');
        candidate = target.resolveSibling(file.substring(0, dot) + "_" + message.messageId() + file.substring(dot));
      }
    }
    Files.move(temporary, candidate, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return candidate.toString();
  }

  private static void tag(Path file, String messageId) {
    UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    if (view == null) {
      return;
    }
    try {
      view.write(MESSAGE_ID_ATTRIBUTE, StandardCharsets.UTF_8.encode(messageId));
    } catch (IOException | UnsupportedOperationException e) {
      // a file system without user attributes: recognised by its bytes instead
    }
  }

  private static boolean sameMessage(Path file, OutboundMessage message) throws IOException {
    UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    if (view != null) {
      try {
        ByteBuffer buffer = ByteBuffer.allocate(view.size(MESSAGE_ID_ATTRIBUTE));
        view.read(MESSAGE_ID_ATTRIBUTE, buffer);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString().equals(message.messageId());
      } catch (IOException | UnsupportedOperationException e) {
        // no attribute on it (written by something else, or no support): compare bytes
      }
    }
    return Files.size(file) == message.content().bytes().length && Arrays.equals(Files.readAllBytes(file), message.content().bytes());
  }

  /**
   * The name (without folders) a destination gives a message: its {@code fileName} pattern, else
   * {@code <control id>_<message id>}, then {@code .<extension>}. SFTP destinations name their
   * files this way, a {@code /} of the pattern becoming {@code _}; a bad pattern is an
   * {@link IllegalArgumentException} naming it.
   */
  public static String fileName(OutboundMessage message, DestinationDefinition destination, String extension) {
    String pattern = destination.setting("fileName");
    String name = pattern == null || pattern.isBlank() ? defaultName(message)
        : FileNamePattern.parse(pattern.strip()).resolve(message, destination.name(), ZonedDateTime.now()).replace('/', '_');
    return name + "." + extension;
  }

  private static String defaultName(OutboundMessage message) {
    String control = message.controlId() == null ? "" : message.controlId().replaceAll("[^A-Za-z0-9._-]", "_") + "_";
    if (control.length() > 100) {
      control = control.substring(0, 100) + "_";
    }
    return control + message.messageId();
  }
}
