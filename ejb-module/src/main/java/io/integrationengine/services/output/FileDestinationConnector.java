package io.integrationengine.services.output;

import io.integrationengine.core.config.EngineSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes each message's bytes, unchanged, to a file in the destination's {@code directory}
 * (absolute, or relative to {@code engine.out.dir}). The file is written under a temporary name
 * and renamed, so a reader polling the folder never sees half a message. The name holds the
 * message id, so delivering the same message twice leaves one file. The extension is the
 * destination's {@code extension}, else the content type's ({@code hl7}, {@code xml}, {@code json}).
 */
@ApplicationScoped
public class FileDestinationConnector implements DestinationConnector {

  private final Path base;

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
    Path folder = base.resolve(directory.strip());
    Files.createDirectories(folder);
    String extension = destination.settings().getOrDefault("extension", message.content().type().extension());
    String name = fileName(message, extension);
    Path temporary = folder.resolve("." + name + ".tmp");
    Path target = folder.resolve(name);
    Files.write(temporary, message.content().bytes());
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target.toString();
  }

  /**
   * {@code <control id>_<message id>.<extension>} (the control id made safe for file names, cut
   * at 100 characters); just the message id when there is no control id. SFTP destinations name
   * their files the same way.
   */
  public static String fileName(OutboundMessage message, String extension) {
    String control = message.controlId() == null ? "" : message.controlId().replaceAll("[^A-Za-z0-9._-]", "_") + "_";
    if (control.length() > 100) {
      control = control.substring(0, 100) + "_";
    }
    return control + message.messageId() + "." + extension;
  }
}
