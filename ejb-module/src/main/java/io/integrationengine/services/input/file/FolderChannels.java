package io.integrationengine.services.input.file;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.config.Definitions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The channels among {@code engine/channels/*} whose files are read by {@code file-intake} jobs,
 * re-read every few seconds: folder channels ({@code type=folder}) and SFTP channels
 * ({@code type=sftp}: their files are downloaded into their work folder by the SFTP poller; their
 * {@code directory} is the remote one, so it is not a local folder to watch).
 */
@ApplicationScoped
public class FolderChannels {

  /** Channel types whose files arrive in their work folder by other means than a local folder. */
  private static final String REMOTE_TYPE = "sftp";

  @Inject
  DefinitionSource source;

  private FileFolders folders;
  private Definitions<Optional<Intake>> channels;

  /** A channel's intake settings, and whether its local folder is watched. */
  private record Intake(FolderChannel channel, boolean local) {}

  @PostConstruct
  void init() {
    folders = FileFolders.load();
    java.nio.file.Path config = EngineSettings.load().configDirectory();
    // re-read every few seconds, a CSV mapping file with it: an edited mapping applies to the next file
    channels = new Definitions<>(source, "channels", (id, p) -> {
      if (FolderChannel.isFolder(p)) {
        return Optional.of(new Intake(FolderChannel.from(id, p, folders.in(), config), true));
      }
      if (REMOTE_TYPE.equalsIgnoreCase(p.getProperty("type", "").strip())) {
        Properties intake = new Properties();
        intake.putAll(p);
        intake.remove("directory");
        return Optional.of(new Intake(FolderChannel.from(id, intake, folders.in(), config), false));
      }
      return Optional.empty();
    });
  }

  public FileFolders folders() {
    return folders;
  }

  /** The valid channels whose files go through file-intake jobs, by id. */
  public Map<String, FolderChannel> valid() {
    Map<String, FolderChannel> found = new LinkedHashMap<>();
    channels.current().valid().forEach((id, c) -> c.ifPresent(intake -> found.put(id, intake.channel())));
    return found;
  }

  /** The folder and SFTP channels whose intake settings (charset, chunk size, format, mapping, ...) do not check, with why. */
  public Map<String, String> invalid() {
    return channels.current().invalid();
  }

  public Optional<FolderChannel> channel(String id) {
    return Optional.ofNullable(valid().get(id));
  }

  /** True when the channel's files are dropped into a local folder the watcher lists (a folder channel). */
  public boolean watchesFolder(String id) {
    return channels.current().valid().getOrDefault(id, Optional.empty()).map(Intake::local).orElse(false);
  }
}
