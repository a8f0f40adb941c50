package io.integrationengine.services.routing;

import io.integrationengine.core.model.StoredMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A route: which messages it takes and which destinations they go to. Built from the properties of
 * the JNDI custom resource {@code engine/routes/<name>}:
 *
 * <ul>
 *   <li>{@code messageTypes}: comma-separated MSH-9 patterns, {@code ADT}, {@code ADT^A0*},
 *       {@code ORU^R01}, or {@code *} for all; a pattern without a trigger matches every trigger
 *   <li>{@code destinations}: comma-separated destination names ({@code engine/destinations/<name>})
 *   <li>{@code enabled}: {@code false} switches the route off (default {@code true})
 * </ul>
 */
public record RouteDefinition(String name, boolean enabled, List<String> messageTypes, List<String> destinations, List<Pattern> matchers) {

  public static RouteDefinition from(String name, Properties properties) {
    List<String> destinations = list(properties.getProperty("destinations"));
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException("route '" + name + "' has no destinations (property 'destinations')");
    }
    List<String> types = list(properties.getProperty("messageTypes", "*"));
    return new RouteDefinition(
        name,
        !"false".equalsIgnoreCase(properties.getProperty("enabled", "true").strip()),
        types,
        destinations,
        types.stream().map(RouteDefinition::glob).toList());
  }

  /** True if the route is on and the message's type matches one of its patterns. */
  public boolean matches(StoredMessage message) {
    if (!enabled) {
      return false;
    }
    String type = message.getMessageType() == null ? "" : message.getMessageType();
    return matchers.stream().anyMatch(p -> p.matcher(type).matches());
  }

  private static Pattern glob(String pattern) {
    String withTrigger = pattern.contains("^") || pattern.equals("*") ? pattern : pattern + "^*";
    StringBuilder regex = new StringBuilder();
    for (char c : withTrigger.toCharArray()) {
      regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
    }
    // "ADT^*" also matches a bare "ADT" (no trigger event sent)
    String source = regex.toString();
    if (source.endsWith(Pattern.quote("^") + ".*")) {
      source = source.substring(0, source.length() - Pattern.quote("^").length() - 2) + "(" + Pattern.quote("^") + ".*)?";
    }
    return Pattern.compile(source, Pattern.CASE_INSENSITIVE);
  }

  static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
