package io.integrationengine.core.observability.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code webhook:<url>}: an HTTP POST of {@code {"alert","rule","type","state","since","value",
 * "detail","engine"}} as JSON ({@code state} is {@code open} or {@code resolved}); any 2xx answer is
 * success. Connecting gives up after 5 s and the whole request after 10 s.
 */
@ApplicationScoped
public class WebhookAlertNotifier implements AlertNotifier {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

  @Override
  public String scheme() {
    return NotifyTarget.WEBHOOK;
  }

  @Override
  public void send(String address, Notification n) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(n), StandardCharsets.UTF_8)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      String body = response.body() == null ? "" : response.body();
      throw new IllegalStateException("webhook " + address + " answered " + response.statusCode() + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
    }
  }

  static String json(Notification n) {
    JsonObjectBuilder json = Json.createObjectBuilder().add("alert", n.alert()).add("rule", n.rule()).add("type", n.type()).add("state", n.state())
        .add("since", n.since().toString());
    if (Double.isFinite(n.value())) {
      json.add("value", n.value());
    } else {
      json.addNull("value");
    }
    return json.add("detail", n.detail() == null ? "" : n.detail()).add("engine", n.engine()).build().toString();
  }
}
