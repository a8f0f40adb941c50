package io.integrationengine.services.routing;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformChain;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.routing.condition.Condition;
import io.integrationengine.services.routing.condition.ConditionParser;
import io.integrationengine.services.routing.condition.MessageView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A route: which messages it takes, which destinations they go to, and the transforms each
 * destination gets. Built from the properties of the JNDI custom resource
 * {@code engine/routes/<name>} (keys without dots, so {@code asadmin set} can change them):
 *
 * <ul>
 *   <li>{@code condition}: the condition language ({@code PID-8 = F and OBX-3.1 in (GLU, HBA1C)});
 *       see {@link ConditionParser}
 *   <li>{@code messageTypes}: comma-separated MSH-9 patterns, {@code ADT}, {@code ADT^A0*},
 *       {@code *}; a pattern without a trigger matches every trigger; and-ed with the condition
 *   <li>{@code destinations}: comma-separated destination names
 *   <li>{@code destinationFrom}: dynamic routing: an operand ({@code MSH-5.1}, {@code @receivingFacility})
 *       whose value names the destination, through the lookup table {@code destinationTable} if given
 *   <li>{@code transforms}: the transform chain for every destination ({@link TransformChain});
 *       {@code transforms_<destination>} replaces it for one destination
 *   <li>{@code orderBy}: the operand whose first value is the ordering key: a destination gets the
 *       messages of one key in the order they were routed, and a message that keeps failing holds
 *       back only the later messages of its key. Default {@code @patientIdentifier} (PID-3 with its
 *       assigning authority); {@code none} orders nothing, so every message goes on independently
 *   <li>{@code enabled}: {@code false} switches the route off (default {@code true})
 * </ul>
 */
public record RouteDefinition(
    String name,
    boolean enabled,
    List<String> messageTypes,
    String conditionText,
    Condition condition,
    List<String> destinations,
    String destinationFrom,
    String destinationTable,
    String orderBy,
    TransformChain transforms,
    Map<String, TransformChain> transformsByDestination) {

  private static final String TRANSFORMS_FOR = "transforms_";
  /** The default ordering key: the patient, as intake read it from PID-3 (id and assigning authority). */
  public static final String DEFAULT_ORDER_BY = "@" + Attributes.PATIENT_IDENTIFIER;

  /** Where a message goes on this route: destinations, and why a dynamic one could not be found. */
  public record Targets(List<String> destinations, String problem) {}

  public static RouteDefinition from(String name, Properties properties, Map<String, Transformer> transformers, LookupTables tables) {
    List<String> destinations = list(properties.getProperty("destinations"));
    String from = blankToNull(properties.getProperty("destinationFrom"));
    String table = blankToNull(properties.getProperty("destinationTable"));
    if (destinations.isEmpty() && from == null) {
      throw new IllegalArgumentException("route '" + name + "' has no destinations (property 'destinations' or 'destinationFrom')");
    }
    if (from != null) {
      // the same operand rules as conditions: a typo is found now, not per message
      ConditionParser.parse(from + " exists");
    }
    String orderBy = blankToNull(properties.getProperty("orderBy"));
    if (orderBy == null) {
      orderBy = DEFAULT_ORDER_BY;
    } else if ("none".equalsIgnoreCase(orderBy)) {
      orderBy = null;
    } else {
      try {
        ConditionParser.parse(orderBy + " exists");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("route '" + name + "': orderBy: " + e.getMessage(), e);
      }
    }
    if (table != null && !tables.exists(table)) {
      throw new IllegalArgumentException("route '" + name + "': destinationTable '" + table + "' is not a lookup table (engine/tables/" + table + ")");
    }
    List<String> parts = new ArrayList<>();
    String types = blankToNull(properties.getProperty("messageTypes"));
    if (types != null) {
      parts.add("@messageType ~ \"" + messageTypesRegex(list(types)) + "\"");
    }
    String written = blankToNull(properties.getProperty("condition"));
    if (written != null) {
      parts.add("(" + written + ")");
    }
    Condition condition;
    try {
      condition = ConditionParser.parse(String.join(" and ", parts));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
    }
    TransformChain all = chain(name, "transforms", properties.getProperty("transforms"), transformers, tables);
    Map<String, TransformChain> byDestination = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith(TRANSFORMS_FOR)) {
        byDestination.put(key.substring(TRANSFORMS_FOR.length()), chain(name, key, properties.getProperty(key), transformers, tables));
      }
    }
    return new RouteDefinition(
        name,
        !"false".equalsIgnoreCase(properties.getProperty("enabled", "true").strip()),
        types == null ? List.of() : list(types),
        written == null ? "" : written,
        condition,
        destinations,
        from,
        table,
        orderBy,
        all,
        Map.copyOf(byDestination));
  }

  private static TransformChain chain(String route, String key, String text, Map<String, Transformer> transformers, LookupTables tables) {
    try {
      return TransformChain.parse(text, transformers, tables);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route '" + route + "', " + key + ": " + e.getMessage(), e);
    }
  }

  /** True if the route is on and the message meets its condition. */
  public boolean matches(MessageView message) {
    return enabled && condition.test(message);
  }

  /** The destinations for a message this route matched: the fixed ones and the dynamic one. */
  public Targets targets(MessageView message, LookupTables tables) {
    if (destinationFrom == null) {
      return new Targets(destinations, null);
    }
    List<String> all = new ArrayList<>(destinations);
    List<String> values = message.values(destinationFrom);
    if (values.isEmpty()) {
      return new Targets(all, "route '" + name + "': " + destinationFrom + " is empty, no dynamic destination");
    }
    String key = values.get(0);
    String destination = destinationTable == null ? key : tables.lookup(destinationTable, key).orElse(null);
    if (destination == null) {
      return new Targets(all, "route '" + name + "': no entry for " + destinationFrom + " = '" + key + "' in lookup table " + destinationTable);
    }
    if (!all.contains(destination.strip())) {
      all.add(destination.strip());
    }
    return new Targets(all, null);
  }

  /** The message's ordering key on this route, or null when the route orders nothing or the message has no value. */
  public String orderKey(MessageView message) {
    if (orderBy == null) {
      return null;
    }
    List<String> values = message.values(orderBy);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The transforms a delivery to {@code destination} gets on this route. */
  public TransformChain transformsFor(String destination) {
    return transformsByDestination.getOrDefault(destination, transforms);
  }

  /** The old {@code messageTypes} globs as one regular expression on {@code @messageType}. */
  static String messageTypesRegex(List<String> patterns) {
    List<String> alternatives = new ArrayList<>();
    for (String pattern : patterns) {
      String withTrigger = pattern.contains("^") || pattern.equals("*") ? pattern : pattern + "^*";
      StringBuilder regex = new StringBuilder();
      for (char c : withTrigger.toCharArray()) {
        if (c == '*') {
          regex.append(".*");
        } else if (Character.isLetterOrDigit(c)) {
          regex.append(c);
        } else if (c == '"' || c == '\\') {
          // cannot occur in a message type; any character keeps the pattern valid
          regex.append('.');
        } else {
          regex.append('\\').append(c);
        }
      }
      String source = regex.toString();
      // "ADT^*" also matches a bare "ADT" (no trigger event sent)
      if (source.endsWith("\\^.*")) {
        source = source.substring(0, source.length() - 4) + "(\\^.*)?";
      }
      alternatives.add(source);
    }
    return "(?i)(" + String.join("|", alternatives) + ")";
  }

  static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
