package io.integrationengine.services.routing;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.Transformer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The routes ({@code engine/routes/<name>}) and lookup tables ({@code engine/tables/<name>}: each
 * property is a key and its value), cached for a few seconds so that a change made in the admin
 * console takes effect without a redeploy. A route that does not validate (a condition that does
 * not parse, an unknown transform, a missing table) is reported by {@link #invalid()} and
 * skipped; the others keep working.
 */
@ApplicationScoped
public class RouteRegistry implements LookupTables {

  @Inject
  DefinitionSource source;

  @Inject
  @Any
  Instance<Transformer> transformerBeans;

  private Map<String, Transformer> transformers;
  private Definitions<Map<String, String>> tables;
  private Definitions<RouteDefinition> routes;

  public RouteRegistry() {}

  /** For tests: definitions from {@code source}, these transformers. */
  public RouteRegistry(DefinitionSource source, List<Transformer> transformers) {
    this.source = source;
    init(transformers);
  }

  @PostConstruct
  void init() {
    init(transformerBeans.stream().toList());
  }

  private void init(List<Transformer> available) {
    Map<String, Transformer> byName = new HashMap<>();
    for (Transformer transformer : available) {
      Transformer clash = byName.put(transformer.name(), transformer);
      if (clash != null) {
        throw new IllegalStateException("two transformers are named '" + transformer.name() + "': " + clash.getClass().getName() + ", " + transformer.getClass().getName());
      }
    }
    transformers = Map.copyOf(byName);
    tables = new Definitions<>(source, "tables", RouteRegistry::table);
    routes = new Definitions<>(source, "routes", (name, properties) -> RouteDefinition.from(name, properties, transformers, this));
  }

  private static Map<String, String> table(String name, Properties properties) {
    Map<String, String> entries = new HashMap<>();
    properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key)));
    return Map.copyOf(entries);
  }

  public List<RouteDefinition> routes() {
    return List.copyOf(routes.current().valid().values());
  }

  public Optional<RouteDefinition> route(String name) {
    return Optional.ofNullable(routes.current().valid().get(name));
  }

  /** Routes that do not validate, with the reason. */
  public Map<String, String> invalid() {
    return routes.current().invalid();
  }

  /** The lookup tables by name. */
  public Map<String, Map<String, String>> tables() {
    return tables.current().valid();
  }

  @Override
  public boolean exists(String table) {
    return tables.current().valid().containsKey(table);
  }

  @Override
  public Optional<String> lookup(String table, String key) {
    Map<String, String> entries = tables.current().valid().get(table);
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
  }
}
