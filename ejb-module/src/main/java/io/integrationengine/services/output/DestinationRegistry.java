package io.integrationengine.services.output;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** The destinations ({@code engine/destinations/<name>}), cached for a few seconds. */
@ApplicationScoped
public class DestinationRegistry {

  @Inject
  DefinitionSource source;

  private Definitions<DestinationDefinition> definitions;

  public DestinationRegistry() {}

  /** For tests: definitions from {@code source}. */
  public DestinationRegistry(DefinitionSource source) {
    this.source = source;
    init();
  }

  @PostConstruct
  void init() {
    definitions = new Definitions<>(source, "destinations", DestinationDefinition::from);
  }

  public Map<String, DestinationDefinition> destinations() {
    return definitions.current().valid();
  }

  public Optional<DestinationDefinition> destination(String name) {
    return Optional.ofNullable(definitions.current().valid().get(name));
  }

  /** Destinations that do not validate, with the reason. */
  public Map<String, String> invalid() {
    return definitions.current().invalid();
  }
}
