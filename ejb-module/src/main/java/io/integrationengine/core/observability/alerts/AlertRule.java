package io.integrationengine.core.observability.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * An alert rule, from the JNDI custom resource {@code engine/alerts/<name>} (a
 * {@code java.util.Properties}). Keys: {@code type} ({@link AlertType}), {@code notify} (a comma
 * list of {@code mail:<address>} and {@code webhook:<url>}), {@code enabled} (default true),
 * {@code forMinutes} (how long the condition must hold before the alert opens, default 0), and per
 * type: queueDepth {@code destination}, {@code state} (default ready), {@code threshold};
 * deadLetter {@code destination} (optional); errorRate {@code channel} (optional),
 * {@code windowMinutes} (default 10), {@code threshold} (a share: 0.05 or 5%), {@code minMessages}
 * (default 10); silence {@code channel}, {@code minutes}, {@code hours}, {@code days},
 * {@code zone}. Minutes may have decimals ({@code 0.25} is 15 seconds). Unknown keys are errors,
 * so a typo does not silently turn a setting off.
 */
public record AlertRule(String name, AlertType type, AlertCondition condition, List<NotifyTarget> targets, Duration pending, boolean enabled) {

  private static final Set<String> COMMON = Set.of("type", "notify", "enabled", "forMinutes", "description");

  public static AlertRule from(String name, Properties p) {
    try {
      AlertType type = AlertType.of(p.getProperty("type"));
      Set<String> keys = switch (type) {
        case QUEUE_DEPTH -> Set.of("destination", "state", "threshold");
        case DEAD_LETTER -> Set.of("destination");
        case ERROR_RATE -> Set.of("channel", "windowMinutes", "threshold", "minMessages");
        case SILENCE -> Set.of("channel", "minutes", "hours", "days", "zone");
      };
      for (String key : p.stringPropertyNames()) {
        if (!COMMON.contains(key) && !keys.contains(key)) {
          throw new IllegalArgumentException("unknown key '" + key + "' for type " + type.key() + " (known: " + String.join(", ", sorted(keys)) + ")");
        }
      }
      AlertCondition condition = switch (type) {
        case QUEUE_DEPTH -> new QueueDepthCondition(required(p, "destination"), QueueDepthCondition.parseStates(p.getProperty("state")),
            (long) number(p, "threshold", null, 0, Double.MAX_VALUE));
        case DEAD_LETTER -> new DeadLetterCondition(optional(p, "destination"));
        case ERROR_RATE -> new ErrorRateCondition(optional(p, "channel"), minutes(p, "windowMinutes", 10.0), share(p, "threshold"),
            (long) number(p, "minMessages", 10.0, 1, Double.MAX_VALUE));
        case SILENCE -> new SilenceCondition(required(p, "channel"), minutes(p, "minutes", null),
            ActiveHours.parse(p.getProperty("hours"), p.getProperty("days"), p.getProperty("zone")));
      };
      Duration pending = p.getProperty("forMinutes") == null ? Duration.ZERO : minutes(p, "forMinutes", null);
      List<NotifyTarget> targets = NotifyTarget.parseList(p.getProperty("notify"));
      return new AlertRule(name, type, condition, targets, pending, bool(p, "enabled", true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("alert rule '" + name + "': " + e.getMessage(), e);
    }
  }

  /** A duration as the rules write it: {@code 30 min}, {@code 15 s}. */
  static String describe(Duration d) {
    long seconds = d.toSeconds();
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private static String required(Properties p, String key) {
    String v = optional(p, key);
    if (v == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    return v;
  }

  private static String optional(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static double number(Properties p, String key, Double defaultValue, double min, double max) {
    String v = optional(p, key);
    if (v == null) {
      if (defaultValue == null) {
        throw new IllegalArgumentException(key + " is required");
      }
      return defaultValue;
    }
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException(key + " must be at least " + min + (max < Double.MAX_VALUE ? " and at most " + max : "") + ", was '" + v + "'");
    }
    return d;
  }

  private static Duration minutes(Properties p, String key, Double defaultValue) {
    double m = number(p, key, defaultValue, 0, 525_600);
    if (m <= 0 && !"forMinutes".equals(key)) {
      throw new IllegalArgumentException(key + " must be more than 0, was '" + p.getProperty(key) + "'");
    }
    return Duration.ofMillis(Math.round(m * 60_000));
  }

  private static double share(Properties p, String key) {
    String v = optional(p, key);
    if (v != null && v.endsWith("%")) {
      Properties percent = new Properties();
      percent.setProperty(key, v.substring(0, v.length() - 1).strip());
      return number(percent, key, null, 0, 100) / 100;
    }
    return number(p, key, null, 0, 1);
  }

  private static boolean bool(Properties p, String key, boolean defaultValue) {
    String v = optional(p, key);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
    };
  }
}
