package io.integrationengine.services.output.fhir;

import io.integrationengine.services.output.PermanentDeliveryFailure;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
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
import java.util.function.Function;

/**
 * Access tokens of the OAuth2 client credentials grant, one per destination, kept until shortly
 * before they expire. The client authenticates with HTTP Basic (client id and secret), as RFC 6749
 * section 2.3.1 asks servers to support.
 */
final class OAuth2Tokens {

  private record Token(String value, Instant expires) {}

  private final Clock clock;
  private final Function<String, String> config;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<URI, URI> discovered = new ConcurrentHashMap<>();

  /** {@code config}: configuration values by name, for the engine's own issuer ({@code mp.jwt.verify.issuer}). */
  OAuth2Tokens(Clock clock, Function<String, String> config) {
    this.clock = clock;
    this.config = config;
  }

  /**
   * The token endpoint: {@code tokenUrl}, else the {@code token_endpoint} of the issuer's OpenID
   * configuration ({@code issuer}, else the engine's own identity provider), read once.
   */
  URI tokenUrl(String destination, FhirEndpoint endpoint, HttpClient client) throws Exception {
    if (endpoint.tokenUrl() != null) {
      return endpoint.tokenUrl();
    }
    URI issuer = endpoint.issuer();
    if (issuer == null) {
      String own = config.apply("mp.jwt.verify.issuer");
      if (own == null || own.isBlank()) {
        throw new PermanentDeliveryFailure("destination '" + destination + "' (oauth2) has no tokenUrl or issuer, and the engine has no identity provider");
      }
      issuer = URI.create(own.endsWith("/") ? own.substring(0, own.length() - 1) : own);
    }
    URI known = discovered.get(issuer);
    if (known != null) {
      return known;
    }
    URI configuration = URI.create(issuer + "/.well-known/openid-configuration");
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(configuration).timeout(endpoint.readTimeout()).header("Accept", "application/json").GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(configuration + " answered HTTP " + response.statusCode());
    }
    String tokenEndpoint;
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      tokenEndpoint = reader.readObject().getString("token_endpoint", null);
    }
    if (tokenEndpoint == null) {
      throw new PermanentDeliveryFailure(configuration + " names no token_endpoint");
    }
    URI url = URI.create(tokenEndpoint);
    discovered.put(issuer, url);
    return url;
  }

  String token(String destination, FhirEndpoint endpoint, String clientSecret, HttpClient client) throws Exception {
    Token token = tokens.get(destination);
    if (token != null && clock.instant().isBefore(token.expires())) {
      return token.value();
    }
    String form = "grant_type=client_credentials" + (endpoint.scope() == null ? "" : "&scope=" + URLEncoder.encode(endpoint.scope(), StandardCharsets.UTF_8));
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(endpoint.clientId(), StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    URI tokenUrl = tokenUrl(destination, endpoint, client);
    HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(endpoint.readTimeout()).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json").header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() == 400 || response.statusCode() == 401) {
      // a wrong client id, secret or scope: retrying will not change it
      throw new PermanentDeliveryFailure("token endpoint " + tokenUrl + " refused destination '" + destination + "' (HTTP " + response.statusCode() + "): "
          + response.body());
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token endpoint " + tokenUrl + " answered HTTP " + response.statusCode());
    }
    JsonObject json;
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      json = reader.readObject();
    }
    String value = json.getString("access_token", null);
    if (value == null) {
      throw new IllegalStateException("token endpoint " + tokenUrl + " sent no access_token");
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
