package io.integrationengine.services.output;

import io.integrationengine.core.queues.DeliveryQueue;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A destination: a connector type, its settings, and how failed deliveries are retried. Built from
 * the JNDI custom resource {@code engine/destinations/<name>}; {@code type} names the connector
 * (e.g. {@code file}), the retry keys are {@code maxAttempts} (default 10),
 * {@code initialBackoffMillis} (1000), {@code maxBackoffMillis} (300000); {@code concurrency} is
 * how many workers deliver to it at once (1 to {@link DeliveryQueue#LANES}; default 1 for
 * {@code file}, where the disk is local and batches are cheaper, else 4), each keeping the order
 * of its ordering keys; every other property belongs to the connector.
 */
public record DestinationDefinition(String name, String type, RetryPolicy retry, int concurrency, Map<String, String> settings) {

  public static DestinationDefinition from(String name, Properties properties) {
    String type = properties.getProperty("type");
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("destination '" + name + "' has no type (property 'type')");
    }
    RetryPolicy retry = new RetryPolicy(
        positive(name, properties, "maxAttempts", 10),
        positive(name, properties, "initialBackoffMillis", 1000),
        positive(name, properties, "maxBackoffMillis", 300_000));
    int concurrency = positive(name, properties, "concurrency", "file".equalsIgnoreCase(type.strip()) ? 1 : 4);
    if (concurrency > DeliveryQueue.LANES) {
      throw new IllegalArgumentException("destination '" + name + "': concurrency can be at most " + DeliveryQueue.LANES + ", was " + concurrency);
    }
    Map<String, String> settings = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
    return new DestinationDefinition(name, type.strip(), retry, concurrency, Map.copyOf(settings));
  }

  public String setting(String key) {
    return settings.get(key);
  }

  private static int positive(String name, Properties properties, String key, int defaultValue) {
    String value = properties.getProperty(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("destination '" + name + "': " + key + " must be a positive whole number, was '" + value + "'");
  }
}
