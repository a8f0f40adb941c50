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
 * escaping), cheaper to write and read than JSON. The task id and the ordering key come first and
 * never hold {@code |} or {@code \}, so the queue's Lua scripts can read them with a pattern. Tasks
 * queued by earlier versions (JSON, or the form without ordering key) are still read.
 *
 * @param orderKey messages with the same key are delivered to a destination in the order routed,
 *     and a failing one holds back only the later ones of its key (the patient, by default); null
 *     when the route orders nothing
 * @param attempts failed attempts so far
 */
public record DeliveryTask(String taskId, String orderKey, String messageId, String route, String destination, int attempts, long createdAt, String lastError) {

  private static final String VERSION = "t2";
  private static final String VERSION_WITHOUT_KEY = "t1";
  private static final int KEY_LENGTH = 200;

  public DeliveryTask {
    orderKey = keyOf(orderKey);
  }

  public static DeliveryTask create(String messageId, String route, String destination, String orderKey) {
    return new DeliveryTask(UUID.randomUUID().toString(), orderKey, messageId, route, destination, 0, System.currentTimeMillis(), null);
  }

  /** The ordering key as tasks carry it: without the separator and escape characters, cut to a bounded length; null when blank. */
  public static String keyOf(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String key = value.strip().replace('|', '_').replace('\\', '_');
    return key.length() <= KEY_LENGTH ? key : key.substring(0, KEY_LENGTH);
  }

  public DeliveryTask failed(String error) {
    return new DeliveryTask(taskId, orderKey, messageId, route, destination, attempts + 1, createdAt, error);
  }

  /** The compact text form. */
  public String encode() {
    StringBuilder out = new StringBuilder(160).append(VERSION).append('|').append(taskId).append('|').append(orderKey == null ? "" : orderKey);
    for (String field : new String[] {messageId, route, destination, Integer.toString(attempts), Long.toString(createdAt), lastError}) {
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
    if (fields.size() == 9 && VERSION.equals(fields.get(0))) {
      String key = fields.get(2);
      return new DeliveryTask(fields.get(1), key == null || key.isEmpty() ? null : key, fields.get(3), fields.get(4), fields.get(5),
          Integer.parseInt(fields.get(6)), Long.parseLong(fields.get(7)), fields.get(8));
    }
    if (fields.size() == 8 && VERSION_WITHOUT_KEY.equals(fields.get(0))) {
      return new DeliveryTask(fields.get(1), null, fields.get(2), fields.get(3), fields.get(4), Integer.parseInt(fields.get(5)), Long.parseLong(fields.get(6)), fields.get(7));
    }
    throw new IllegalArgumentException("not a delivery task: " + (text.length() > 80 ? text.substring(0, 80) + "..." : text));
  }

  private static DeliveryTask fromJson(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      JsonObject o = reader.readObject();
      return new DeliveryTask(
          o.getString("taskId"),
          null,
          o.getString("messageId"),
          o.getString("route", null),
          o.getString("destination"),
          o.getInt("attempts", 0),
          o.getJsonNumber("createdAt").longValue(),
          o.getString("lastError", null));
    }
  }
}
