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

/** The folder channels among {@code engine/channels/*} ({@code type=folder}), re-read every few seconds. */
@ApplicationScoped
public class FolderChannels {

  @Inject
  DefinitionSource source;

  private FileFolders folders;
  private Definitions<Optional<FolderChannel>> channels;

  @PostConstruct
  void init() {
    folders = FileFolders.load();
    java.nio.file.Path config = EngineSettings.load().configDirectory();
    // re-read every few seconds, the CSV mapping file with it: an edited mapping applies to the next file
    channels = new Definitions<>(source, "channels",
        (id, p) -> FolderChannel.isFolder(p) ? Optional.of(FolderChannel.from(id, p, folders.in(), config)) : Optional.empty());
  }

  public FileFolders folders() {
    return folders;
  }

  /** The valid folder channels by id. */
  public Map<String, FolderChannel> valid() {
    Map<String, FolderChannel> found = new LinkedHashMap<>();
    channels.current().valid().forEach((id, c) -> c.ifPresent(channel -> found.put(id, channel)));
    return found;
  }

  public Optional<FolderChannel> channel(String id) {
    return Optional.ofNullable(valid().get(id));
  }
}
