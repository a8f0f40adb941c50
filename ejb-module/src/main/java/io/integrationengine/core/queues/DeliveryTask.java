package io.integrationengine.core.queues;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One message to deliver to one destination; its idempotency key is {@code messageId/destination}.
 * It travels through Redis in a compact text form (fields separated by {@code |}, with {@code \}
 * escaping), cheaper to write and read than JSON; tasks queued as JSON by an earlier version are
 * still read.
 *
 * @param attempts failed attempts so far
 */
public record DeliveryTask(String taskId, String messageId, String route, String destination, int attempts, long createdAt, String lastError) {

  private static final String VERSION = "t1";

  public static DeliveryTask create(String messageId, String route, String destination) {
    return new DeliveryTask(UUID.randomUUID().toString(), messageId, route, destination, 0, System.currentTimeMillis(), null);
  }

  public DeliveryTask failed(String error) {
    return new DeliveryTask(taskId, messageId, route, destination, attempts + 1, createdAt, error);
  }

  /** The compact text form. */
  public String encode() {
    StringBuilder out = new StringBuilder(128).append(VERSION);
    for (String field : new String[] {taskId, messageId, route, destination, Integer.toString(attempts), Long.toString(createdAt), lastError}) {
      out.append('|');
      if (field == null) {
        out.append("\\0");
        continue;
      }
      for (int i = 0; i < field.length(); i++) {
        char c = field.charAt(i);
        if (c == '|' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Reads the compact form, or the JSON of tasks queued before it. */
  public static DeliveryTask decode(String text) {
    if (text.startsWith("{")) {
      return fromJson(text);
    }
    List<String> fields = new ArrayList<>(8);
    StringBuilder current = new StringBuilder();
    boolean isNull = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        if (next == '0') {
          isNull = true;
        } else {
          current.append(next);
        }
      } else if (c == '|') {
        fields.add(isNull ? null : current.toString());
        current.setLength(0);
        isNull = false;
      } else {
        current.append(c);
      }
    }
    fields.add(isNull ? null : current.toString());
    if (fields.size() != 8 || !VERSION.equals(fields.get(0))) {
      throw new IllegalArgumentException("not a delivery task: " + (text.length() > 80 ? text.substring(0, 80) + "..." : text));
    }
    return new DeliveryTask(fields.get(1), fields.get(2), fields.get(3), fields.get(4), Integer.parseInt(fields.get(5)), Long.parseLong(fields.get(6)), fields.get(7));
  }

  private static DeliveryTask fromJson(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      JsonObject o = reader.readObject();
      return new DeliveryTask(
          o.getString("taskId"),
          o.getString("messageId"),
          o.getString("route", null),
          o.getString("destination"),
          o.getInt("attempts", 0),
          o.getJsonNumber("createdAt").longValue(),
          o.getString("lastError", null));
    }
  }
}
