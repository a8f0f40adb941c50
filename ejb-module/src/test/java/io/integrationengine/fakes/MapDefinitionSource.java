package io.integrationengine.fakes;

import io.integrationengine.core.config.DefinitionSource;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Definitions written in the test: {@code define("routes", "adt", "condition", "PID-8 = F", "destinations", "d")}. */
public class MapDefinitionSource implements DefinitionSource {

  private final Map<String, Map<String, Properties>> byKind = new TreeMap<>();

  public MapDefinitionSource define(String kind, String name, String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    byKind.computeIfAbsent(kind, k -> new TreeMap<>()).put(name, p);
    return this;
  }

  @Override
  public Map<String, Properties> definitions(String kind, Map<String, String> unreadable) {
    return new TreeMap<>(byKind.getOrDefault(kind, Map.of()));
  }
}
