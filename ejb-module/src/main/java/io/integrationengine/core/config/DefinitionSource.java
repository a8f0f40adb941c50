package io.integrationengine.core.config;

import java.util.Map;
import java.util.Properties;

/**
 * Where operators' definitions come from: routes, destinations, lookup tables, channels. In the
 * engine they are JNDI custom resources ({@code engine/<kind>/<name>}), editable in the admin
 * console; in tests, maps.
 */
public interface DefinitionSource {

  /**
   * The definitions of one kind by name, sorted by name. A definition that cannot be read at all
   * (not a {@code java.util.Properties}) is reported through {@code unreadable}.
   */
  Map<String, Properties> definitions(String kind, Map<String, String> unreadable);
}
