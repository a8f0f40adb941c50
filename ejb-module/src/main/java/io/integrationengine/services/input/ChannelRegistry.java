package io.integrationengine.services.input;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import io.integrationengine.core.config.EngineSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;

/**
 * The channels' settings ({@code engine/channels/<id>}), cached for a few seconds. A channel whose
 * definition does not validate (a profile file missing or unreadable) refuses its messages with
 * the reason, rather than letting them in unchecked.
 */
@ApplicationScoped
public class ChannelRegistry {

  @Inject
  DefinitionSource source;

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
    channels = new Definitions<>(source, "channels", (id, properties) -> ChannelDefinition.from(id, properties, configDirectory));
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

  /** Channels that do not validate, with the reason. */
  public Map<String, String> invalid() {
    return channels.current().invalid();
  }
}
