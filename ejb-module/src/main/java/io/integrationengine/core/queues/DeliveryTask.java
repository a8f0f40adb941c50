package io.integrationengine.core.queues;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.UUID;

/**
 * One message to deliver to one destination. It travels through Redis as JSON; its idempotency
 * key is {@code messageId/destination}.
 *
 * @param attempts failed attempts so far
 */
public record DeliveryTask(String taskId, String messageId, String route, String destination, int attempts, long createdAt, String lastError) {

  public static DeliveryTask create(String messageId, String route, String destination) {
    return new DeliveryTask(UUID.randomUUID().toString(), messageId, route, destination, 0, System.currentTimeMillis(), null);
  }

  public DeliveryTask failed(String error) {
    return new DeliveryTask(taskId, messageId, route, destination, attempts + 1, createdAt, error);
  }

  public String toJson() {
    var json = Json.createObjectBuilder()
        .add("taskId", taskId)
        .add("messageId", messageId)
        .add("route", route)
        .add("destination", destination)
        .add("attempts", attempts)
        .add("createdAt", createdAt);
    if (lastError != null) {
      json.add("lastError", lastError);
    }
    return json.build().toString();
  }

  public static DeliveryTask fromJson(String text) {
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
