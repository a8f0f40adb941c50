package io.integrationengine.services.output;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.routing.DestinationDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes each message to a file in the destination's {@code directory} (absolute, or relative to
 * {@code engine.out.dir}). The file is written under a temporary name and renamed, so a reader
 * polling the folder never sees half a message. The name holds the message id, so delivering the
 * same message twice leaves one file.
 */
@ApplicationScoped
public class FileDestinationConnector implements DestinationConnector {

  private final Path base = EngineSettings.load().outputDirectory();

  @Override
  public String type() {
    return "file";
  }

  @Override
  public String deliver(StoredMessage message, DestinationDefinition destination) throws IOException {
    String directory = destination.setting("directory");
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("destination '" + destination.name() + "' has no 'directory'");
    }
    Path folder = base.resolve(directory.strip());
    Files.createDirectories(folder);
    String name = fileName(message, destination.settings().getOrDefault("extension", "hl7"));
    Path temporary = folder.resolve("." + name + ".tmp");
    Path target = folder.resolve(name);
    Files.write(temporary, message.getContent().getBytes(Charset.forName(message.getCharset())));
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target.toString();
  }

  private static String fileName(StoredMessage message, String extension) {
    String control = message.getControlId() == null ? "" : message.getControlId().replaceAll("[^A-Za-z0-9._-]", "_") + "_";
    return control + message.getId() + "." + extension;
  }
}
