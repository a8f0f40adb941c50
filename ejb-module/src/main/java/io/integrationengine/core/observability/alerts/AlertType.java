package io.integrationengine.core.observability.alerts;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What an alert rule watches; the {@code type} key of its definition names it as written here. */
public enum AlertType {
  /** Tasks of a destination waiting above a threshold (for {@code forMinutes}). */
  QUEUE_DEPTH("queueDepth"),
  /** Any dead letter on a destination, or on any destination. */
  DEAD_LETTER("deadLetter"),
  /** The share of messages rejected at intake over a window, above a threshold. */
  ERROR_RATE("errorRate"),
  /** No message on a channel for some minutes, within given hours. */
  SILENCE("silence");

  private final String key;

  AlertType(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The type named {@code value}; a name not known is an error naming the known ones. */
  public static AlertType of(String value) {
    for (AlertType type : values()) {
      if (type.key.equals(value == null ? null : value.strip())) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "type must be one of " + Arrays.stream(values()).map(AlertType::key).collect(Collectors.joining(", ")) + ", was '" + value + "'");
  }
}
