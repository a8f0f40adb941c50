package io.integrationengine.services.input;

import io.integrationengine.services.processing.ConformanceProfile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * A channel's settings beyond its listener: the JNDI custom resource {@code engine/channels/<id>}
 * ({@code mllp-default}, {@code mllp-tls}), optional. {@code profiles}: comma-separated HL7v2
 * conformance profile files (absolute, or relative to {@code engine.config.dir}); a message is
 * checked against the one for its type, and a message of a type with no profile is not checked.
 */
public record ChannelDefinition(String id, List<ConformanceProfile> profiles) {

  public static ChannelDefinition none(String id) {
    return new ChannelDefinition(id, List.of());
  }

  /** @param profiles reads a profile file (the registry's, which keeps files it has read) */
  public static ChannelDefinition from(String id, Properties properties, Path configDirectory, Function<Path, ConformanceProfile> profiles) {
    String written = properties.getProperty("profiles", "");
    List<ConformanceProfile> loaded = Arrays.stream(written.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(file -> {
          try {
            return profiles.apply(configDirectory.resolve(file));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + id + "': " + e.getMessage(), e);
          }
        })
        .toList();
    return new ChannelDefinition(id, loaded);
  }

  /** The profile for messages of this type, if the channel has one. */
  public Optional<ConformanceProfile> profileFor(String messageType) {
    return profiles.stream().filter(p -> p.appliesTo(messageType)).findFirst();
  }
}
