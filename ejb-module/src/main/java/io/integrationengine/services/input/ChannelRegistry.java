package io.integrationengine.services.input;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.services.processing.ConformanceProfile;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels' settings ({@code engine/channels/<id>}), cached for a few seconds. A channel whose
 * definition does not validate (a profile file missing or unreadable) refuses its messages with
 * the reason, rather than letting them in unchecked.
 */
@ApplicationScoped
public class ChannelRegistry {

  @Inject
  DefinitionSource source;

  private record ReadProfile(long modified, ConformanceProfile profile) {}

  private final Map<Path, ReadProfile> profiles = new ConcurrentHashMap<>();
  private Path configDirectory;
  private Definitions<ChannelDefinition> channels;

  public ChannelRegistry() {}

  /** For tests. */
  public ChannelRegistry(DefinitionSource source, Path configDirectory) {
    this.source = source;
    this.configDirectory = configDirectory;
    init();
  }

  @PostConstruct
  void init() {
    if (configDirectory == null) {
      configDirectory = EngineSettings.load().configDirectory();
    }
    channels = new Definitions<>(source, "channels", (id, properties) -> ChannelDefinition.from(id, properties, configDirectory, this::profile));
  }

  /**
   * The channel's settings; none when it has no definition.
   *
   * @throws IllegalStateException when its definition is invalid, with the reason
   */
  public ChannelDefinition channel(String id) {
    Definitions.Snapshot<ChannelDefinition> current = channels.current();
    String invalid = current.invalid().get(id);
    if (invalid != null) {
      throw new IllegalStateException("channel '" + id + "' is misconfigured: " + invalid);
    }
    return current.valid().getOrDefault(id, ChannelDefinition.none(id));
  }

  /** The channels with a valid definition. */
  public Map<String, ChannelDefinition> valid() {
    return channels.current().valid();
  }

  /**
   * A profile file, read again only when it changed: definitions are re-read every few seconds,
   * and parsing a profile (and its validator's HAPI context) each time would be wasted work.
   */
  private ConformanceProfile profile(Path file) {
    long modified;
    try {
      modified = Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      profiles.remove(file);
      return ConformanceProfile.load(file);
    }
    ReadProfile known = profiles.get(file);
    if (known != null && known.modified() == modified) {
      return known.profile();
    }
    ConformanceProfile read = ConformanceProfile.load(file);
    profiles.put(file, new ReadProfile(modified, read));
    return read;
  }

  /** Channels that do not validate, with the reason. */
  public Map<String, String> invalid() {
    return channels.current().invalid();
  }
}
