package io.integrationengine.services.output.fhir;

import io.integrationengine.services.output.PermanentDeliveryFailure;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of the OAuth2 client credentials grant, one per destination, kept until shortly
 * before they expire. The client authenticates with HTTP Basic (client id and secret), as RFC 6749
 * section 2.3.1 asks servers to support.
 */
final class OAuth2Tokens {

  private record Token(String value, Instant expires) {}

  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  OAuth2Tokens(Clock clock) {
    this.clock = clock;
  }

  String token(String destination, FhirEndpoint endpoint, String clientSecret, HttpClient client) throws Exception {
    Token token = tokens.get(destination);
    if (token != null && clock.instant().isBefore(token.expires())) {
      return token.value();
    }
    String form = "grant_type=client_credentials" + (endpoint.scope() == null ? "" : "&scope=" + URLEncoder.encode(endpoint.scope(), StandardCharsets.UTF_8));
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(endpoint.clientId(), StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(endpoint.tokenUrl()).timeout(endpoint.readTimeout()).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json").header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() == 400 || response.statusCode() == 401) {
      // a wrong client id, secret or scope: retrying will not change it
      throw new PermanentDeliveryFailure("token endpoint " + endpoint.tokenUrl() + " refused destination '" + destination + "' (HTTP " + response.statusCode() + "): "
          + response.body());
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token endpoint " + endpoint.tokenUrl() + " answered HTTP " + response.statusCode());
    }
    JsonObject json;
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      json = reader.readObject();
    }
    String value = json.getString("access_token", null);
    if (value == null) {
      throw new IllegalStateException("token endpoint " + endpoint.tokenUrl() + " sent no access_token");
    }
    long lifetime = json.containsKey("expires_in") ? json.getJsonNumber("expires_in").longValue() : 60;
    // renewed 30 s early (or at half its life if shorter), so a token never expires in flight
    tokens.put(destination, new Token(value, clock.instant().plusSeconds(Math.max(1, lifetime - Math.min(30, lifetime / 2)))));
    return value;
  }

  void forget(String destination) {
    tokens.remove(destination);
  }
}
