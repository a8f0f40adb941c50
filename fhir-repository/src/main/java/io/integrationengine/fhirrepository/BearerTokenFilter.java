package io.integrationengine.fhirrepository;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Bearer tokens on the FHIR repository, the same the REST API takes (MicroProfile JWT on
 * {@code /api}): RS256 JSON Web Tokens of the engine's identity provider, checked against its
 * keys ({@code mp.jwt.verify.publickey.location}, fetched once and again for an unknown key id),
 * its issuer ({@code mp.jwt.verify.issuer}) and their expiry; the roles are the top-level
 * {@code groups} claim. Reading ({@code GET}, {@code HEAD}) takes auditor, operator, admin or
 * sender; anything else operator, admin or sender; {@code /metadata} is open. No token or a bad
 * one: 401; a token without the role: 403.
 *
 * <p>The module does this itself because Payara installs the EAR's MicroProfile JWT mechanism only
 * in CDI modules, and this one has CDI off (Spring wires HAPI FHIR's server; scanning its ~250
 * jars for beans would cost every start).
 */
public class BearerTokenFilter extends HttpFilter {

  private static final Logger LOG = Logger.getLogger(BearerTokenFilter.class.getName());
  private static final Set<String> READERS = Set.of("auditor", "operator", "admin", "sender");
  private static final Set<String> WRITERS = Set.of("operator", "admin", "sender");
  private static final long LEEWAY_SECONDS = 30;

  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    if (read && (path.equals("/metadata") || path.equals("/metadata/"))) {
      chain.doFilter(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(response, 401, "a bearer token from the engine's identity provider is required");
      return;
    }
    Set<String> roles;
    try {
      roles = verify(header.substring(7).strip());
    } catch (RuntimeException | IOException | InterruptedException | java.security.GeneralSecurityException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      refuse(response, 401, "invalid token: " + e.getMessage());
      return;
    }
    if (roles.stream().noneMatch(read ? READERS::contains : WRITERS::contains)) {
      refuse(response, 403, (read ? "reading" : "writing") + " needs the role " + String.join(", ", read ? READERS : WRITERS));
      return;
    }
    chain.doFilter(request, response);
  }

  /** The token's roles (its {@code groups}), once its signature, issuer and expiry are right; throws otherwise. */
  Set<String> verify(String token) throws IOException, InterruptedException, java.security.GeneralSecurityException {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a JSON Web Token");
    }
    JsonObject head = json(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    if (!"RS256".equals(head.getString("alg", ""))) {
      throw new IllegalArgumentException("algorithm " + head.getString("alg", "none") + " is not accepted");
    }
    PublicKey key = key(head.getString("kid", ""));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
      throw new IllegalArgumentException("bad signature");
    }
    JsonObject claims = json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String issuer = System.getProperty("mp.jwt.verify.issuer");
    if (issuer == null || !issuer.equals(claims.getString("iss", ""))) {
      throw new IllegalArgumentException("issuer " + claims.getString("iss", "none") + " is not the engine's");
    }
    long now = System.currentTimeMillis() / 1000;
    if (!claims.containsKey("exp") || claims.getJsonNumber("exp").longValue() + LEEWAY_SECONDS < now) {
      throw new IllegalArgumentException("expired");
    }
    JsonValue groups = claims.get("groups");
    if (groups == null || groups.getValueType() != JsonValue.ValueType.ARRAY) {
      return Set.of();
    }
    return groups.asJsonArray().stream().filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString()).collect(Collectors.toSet());
  }

  private PublicKey key(String kid) throws IOException, InterruptedException, java.security.GeneralSecurityException {
    PublicKey key = keys.get(kid);
    if (key != null) {
      return key;
    }
    String location = System.getProperty("mp.jwt.verify.publickey.location");
    if (location == null) {
      throw new IllegalStateException("the engine has no identity provider (mp.jwt.verify.publickey.location)");
    }
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (answer.statusCode() != 200) {
      throw new IOException(location + " answered " + answer.statusCode());
    }
    for (JsonValue value : json(answer.body()).getJsonArray("keys")) {
      JsonObject jwk = value.asJsonObject();
      if ("RSA".equals(jwk.getString("kty", "")) && jwk.containsKey("n") && jwk.containsKey("e")) {
        BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")));
        BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")));
        keys.put(jwk.getString("kid", ""), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)));
      }
    }
    key = keys.get(kid);
    if (key == null) {
      throw new IllegalArgumentException("unknown key id " + kid);
    }
    return key;
  }

  private static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static void refuse(HttpServletResponse response, int status, String why) throws IOException {
    LOG.log(Level.FINE, "FHIR repository refused a request ({0}): {1}", new Object[] {status, why});
    response.setStatus(status);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"engine\"");
    }
    response.setContentType("application/fhir+json");
    String text = why.replace("\\", "\\\\").replace("\"", "'");
    response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
        + (status == 401 ? "login" : "forbidden") + "\",\"diagnostics\":\"" + text + "\"}]}");
  }
}
