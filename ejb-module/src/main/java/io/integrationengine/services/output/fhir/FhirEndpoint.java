package io.integrationengine.services.output.fhir;

import io.integrationengine.services.output.DestinationDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how a {@code fhir} destination sends: its settings, read and checked once per
 * delivery from the destination definition. Secrets are never settings: they are the names of
 * Payara password aliases ({@code passwordAlias}, {@code tokenAlias}, {@code clientSecretAlias}).
 *
 * @param baseUrl the server's FHIR base ({@code baseUrl}), without a trailing slash
 * @param auth {@code auth}: {@code none} (default), {@code basic}, {@code bearer}, {@code oauth2}
 * @param user {@code user}, for basic
 * @param secretAlias the alias holding the password (basic), the token (bearer) or the client
 *     secret (oauth2)
 * @param tokenUrl {@code tokenUrl}, for oauth2 (client credentials grant); null: discovered from
 *     the issuer's {@code .well-known/openid-configuration}
 * @param issuer {@code issuer}, for oauth2 without {@code tokenUrl}; null: the engine's own identity
 *     provider ({@code mp.jwt.verify.issuer})
 * @param clientId {@code clientId}, for oauth2
 * @param scope {@code scope}, for oauth2; may be null
 * @param connectTimeout {@code connectTimeoutMillis} (default 5000)
 * @param readTimeout {@code readTimeoutMillis} (default 30000): how long to wait for the answer
 */
public record FhirEndpoint(URI baseUrl, Auth auth, String user, String secretAlias, URI tokenUrl, URI issuer, String clientId, String scope,
    Duration connectTimeout, Duration readTimeout) {

  /** How the connector authenticates to the FHIR server. */
  public enum Auth {
    NONE, BASIC, BEARER, OAUTH2
  }

  /** The endpoint of {@code destination}; a missing or wrong setting says which and why. */
  public static FhirEndpoint of(DestinationDefinition destination) {
    String name = destination.name();
    URI base = url(name, "baseUrl", required(destination, "baseUrl"));
    String authSetting = destination.settings().getOrDefault("auth", "none").strip();
    Auth auth;
    try {
      auth = Auth.valueOf(authSetting.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("destination '" + name + "': auth must be none, basic, bearer or oauth2, was '" + authSetting + "'");
    }
    String user = null;
    String alias = null;
    URI tokenUrl = null;
    URI issuer = null;
    String clientId = null;
    switch (auth) {
      case BASIC -> {
        user = required(destination, "user");
        alias = required(destination, "passwordAlias");
      }
      case BEARER -> alias = required(destination, "tokenAlias");
      case OAUTH2 -> {
        String token = destination.setting("tokenUrl");
        String issuerSetting = destination.setting("issuer");
        tokenUrl = token == null || token.isBlank() ? null : url(name, "tokenUrl", token.strip());
        issuer = issuerSetting == null || issuerSetting.isBlank() ? null : url(name, "issuer", issuerSetting.strip());
        clientId = required(destination, "clientId");
        alias = required(destination, "clientSecretAlias");
      }
      case NONE -> {
        // nothing to read
      }
    }
    return new FhirEndpoint(base, auth, user, alias, tokenUrl, issuer, clientId, destination.setting("scope"), millis(destination, "connectTimeoutMillis", 5000),
        millis(destination, "readTimeoutMillis", 30_000));
  }

  /** {@code path} (e.g. {@code Patient?identifier=...}) under the base. */
  public URI resolve(String path) {
    return URI.create(baseUrl + "/" + path);
  }

  private static String required(DestinationDefinition destination, String key) {
    String value = destination.setting(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("destination '" + destination.name() + "' (fhir) has no '" + key + "'");
    }
    return value.strip();
  }

  private static URI url(String name, String key, String value) {
    String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI uri = URI.create(trimmed);
      if ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("destination '" + name + "': " + key + " must be an http or https URL, was '" + value + "'");
  }

  private static Duration millis(DestinationDefinition destination, String key, long defaultValue) {
    String value = destination.setting(key);
    if (value == null) {
      return Duration.ofMillis(defaultValue);
    }
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed > 0) {
        return Duration.ofMillis(parsed);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("destination '" + destination.name() + "': " + key + " must be a positive number of milliseconds, was '" + value + "'");
  }
}
