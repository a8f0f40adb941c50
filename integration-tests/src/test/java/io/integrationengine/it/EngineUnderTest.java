package io.integrationengine.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine the build started (see the exec plugin in this module's pom): where it listens and
 * where it writes, read from the state file {@code ./engine start} leaves behind.
 */
public final class EngineUnderTest {

  /**
   * HTTP/1.1: with the client's default (an HTTP/2 upgrade), a pooled connection the server closed
   * meanwhile (idle, or killed by FileCrashIT) failed the next request with "EOF reached while
   * reading" instead of being replaced.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static EngineUnderTest instance;

  /** The user whose token the get/post helpers send: may read, act, convert and post FHIR. */
  public static final String DEFAULT_USER = "admin";

  private final Properties state;
  private final Path var;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private record Token(String value, long expiresAtMillis) {}

  private EngineUnderTest(Properties state, Path var) {
    this.state = state;
    this.var = var;
  }

  public static synchronized EngineUnderTest get() {
    if (instance == null) {
      String stateFile = System.getProperty("engine.state");
      if (stateFile == null || !Files.exists(Path.of(stateFile))) {
        throw new IllegalStateException("No running engine: engine.state=" + stateFile + " (run the tests with ./mvnw verify)");
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(stateFile))) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      instance = new EngineUnderTest(p, Path.of(System.getProperty("engine.var")));
      String otlp = p.getProperty("ENGINE_OTLP_ENDPOINT", "");
      if (otlp.startsWith("http://127.0.0.1:")) {
        traces = OtlpReceiver.start(otlp);
      }
    }
    return instance;
  }

  private static OtlpReceiver traces;

  /** The spans of one trace the engine exported so far (tracing is on in the build's engines). */
  public List<OtlpReceiver.ReceivedSpan> trace(String traceId) {
    if (traces == null) {
      throw new IllegalStateException("the engine under test does not export traces (ENGINE_OTLP_ENDPOINT)");
    }
    return traces.trace(traceId);
  }

  /** What {@code ./engine start} wrote to its state file ({@code ENGINE_PORTBASE}, {@code ENGINE_REDIS_ADDRESS}, ...). */
  public Map<String, String> state() {
    Map<String, String> copy = new java.util.TreeMap<>();
    state.stringPropertyNames().forEach(k -> copy.put(k, state.getProperty(k)));
    return copy;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int mllpPort() {
    return Integer.parseInt(state.getProperty("ENGINE_MLLP_PORT"));
  }

  public int tlsPort() {
    return Integer.parseInt(state.getProperty("ENGINE_MLLP_TLS_PORT"));
  }

  /** The test domain's folder (its key store and trust store are in config/). */
  public Path domainDir() {
    return var.resolve("domains").resolve(state.getProperty("ENGINE_DOMAIN"));
  }

  public int httpPort() {
    return Integer.parseInt(state.getProperty("ENGINE_HTTP_PORT"));
  }

  public int adminPort() {
    return Integer.parseInt(state.getProperty("ENGINE_ADMIN_PORT"));
  }

  /** The generated admin password, as asadmin's password file ({@code AS_ADMIN_PASSWORD=...}). */
  public Path adminPasswordFile() {
    return Path.of(state.getProperty("ENGINE_ADMIN_PASSWORD_FILE"));
  }

  /** The generated admin password. */
  public String adminPassword() {
    try {
      return Files.readAllLines(adminPasswordFile()).get(0).replaceFirst("^AS_ADMIN_PASSWORD=", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the engine keeps what it runs (Payara, domains, Redis, secrets). */
  public Path var() {
    return var;
  }

  /** Runs a command; returns its exit code and output (standard error merged). */
  public static Map.Entry<Integer, String> exec(List<String> command, Map<String, String> environment) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end");
      }
      return Map.entry(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The identity provider's issuer ({@code http://127.0.0.1:<port>/realms/engine}). */
  public String issuer() {
    return state.getProperty("ENGINE_OIDC_ISSUER");
  }

  /**
   * An access token of a demo user ({@code admin}, {@code operator}, {@code auditor}; the
   * password is the name) by the password grant of the public client {@code engine-cli}, as
   * scripts take theirs; kept until shortly before it expires.
   */
  public String token(String user) {
    return cachedToken("user:" + user, "grant_type=password&client_id=engine-cli&username=" + user + "&password=" + user);
  }

  /**
   * HAPI's generic client on the built-in FHIR repository {@code /fhir}, signed in as {@code user}
   * (a bearer token from {@code engine-cli}, taken again when it nears its end).
   */
  public ca.uhn.fhir.rest.client.api.IGenericClient fhirRepository(String user) {
    ca.uhn.fhir.rest.client.api.IGenericClient client =
        FhirRepositoryIT.R4.newRestfulGenericClient("http://127.0.0.1:" + httpPort() + "/fhir");
    client.registerInterceptor(new ca.uhn.fhir.rest.client.api.IClientInterceptor() {
      @Override
      public void interceptRequest(ca.uhn.fhir.rest.client.api.IHttpRequest request) {
        request.addHeader("Authorization", "Bearer " + token(user));
      }

      @Override
      public void interceptResponse(ca.uhn.fhir.rest.client.api.IHttpResponse response) {
        // nothing to do
      }
    });
    return client;
  }

  /** A client-credentials token of {@code engine-sender} (role {@code sender}), as a sending system takes it. */
  public String senderToken() {
    String secret;
    try {
      secret = Files.readAllLines(Path.of(state.getProperty("ENGINE_OIDC_SENDER_SECRET_FILE"))).get(0).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cachedToken("client:engine-sender", "grant_type=client_credentials&client_id=engine-sender&client_secret=" + secret);
  }

  private String cachedToken(String key, String form) {
    Token token = tokens.get(key);
    if (token == null || token.expiresAtMillis() < System.currentTimeMillis() + 60_000) {
      token = fetchToken(form);
      tokens.put(key, token);
    }
    return token.value();
  }

  private Token fetchToken(String form) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token request to " + issuer() + " -> " + response.statusCode() + ": " + response.body());
    }
    try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(response.body()))) {
      jakarta.json.JsonObject json = reader.readObject();
      return new Token(json.getString("access_token"), System.currentTimeMillis() + json.getJsonNumber("expires_in").longValue() * 1000);
    }
  }

  /**
   * A request to the REST API with a bearer token ({@code null}: none), answered whatever its
   * status: for tests of who may do what.
   */
  public HttpResponse<String> request(String method, String pathAndQuery, String bearerToken, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + pathAndQuery)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      try {
        return HTTP.send(request, body);
      } catch (IOException stale) {
        // a read may go again once, on a fresh connection: the pooled one may have been closed under it
        if (!request.method().equals("GET")) {
          throw stale;
        }
        return HTTP.send(request, body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path outDir() {
    return Path.of(state.getProperty("ENGINE_OUT_DIR"));
  }

  /** GET on the engine's REST API (as {@link #DEFAULT_USER}); returns the body, fails on a status other than 200. */
  public String get(String pathAndQuery) {
    return get(pathAndQuery, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** GET returning bytes; fails on a status other than 200. */
  public byte[] getBytes(String pathAndQuery) {
    return get(pathAndQuery, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * POST on the engine's REST API (as {@link #DEFAULT_USER}); returns the response whatever its status.
   *
   * @param headers more request headers, as name/value pairs
   */
  public HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + pathAndQuery)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType).header("Authorization", "Bearer " + token(DEFAULT_USER)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private <T> T get(String pathAndQuery, HttpResponse.BodyHandler<T> body) {
    try {
      HttpResponse<T> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + pathAndQuery)).timeout(Duration.ofSeconds(20))
              .header("Authorization", "Bearer " + token(DEFAULT_USER)).build(), body);
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + pathAndQuery + " -> " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Adds a route or destination as an operator would (a JNDI custom resource of type Properties)
   * and waits until the engine uses it. {@code kind} is {@code routes}, {@code destinations},
   * {@code tables} or {@code channels};
   * {@code properties} in asadmin's {@code key=value:key=value} form. It goes through the domain's
   * REST administration interface, the one the admin console calls, which runs the same
   * {@code create-custom-resource} command as asadmin (with the same escaping) without starting an
   * asadmin JVM for each definition: some 2-3 s each, minutes over the suite.
   */
  public void addDefinition(String kind, String name, String properties) {
    adminRest("POST", "/management/domain/resources/custom-resource", Map.of(
        "id", "engine/" + kind + "/" + name,
        "restype", "java.util.Properties",
        "factoryclass", "org.glassfish.resources.custom.factory.PropertiesFactory",
        "property", properties));
    if (definedTogether != null) {
      definedTogether.add(new String[] {kind, name});
    } else {
      awaitInUse(List.<String[]>of(new String[] {kind, name}));
    }
  }

  /** Definitions made inside {@link #defineTogether}, not yet awaited; null outside it. */
  private List<String[]> definedTogether;

  /**
   * Runs the definitions {@code block} makes, then waits once until the engine uses all of them:
   * the engine reads its definitions again every few seconds, so waiting after each one made a
   * test with ten definitions wait ten times.
   */
  public void defineTogether(Runnable block) {
    definedTogether = new ArrayList<>();
    List<String[]> made = definedTogether;
    try {
      block.run();
    } finally {
      definedTogether = null;
    }
    awaitInUse(made);
  }

  private void awaitInUse(List<String[]> definitions) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      Map<String, String> lists = new java.util.HashMap<>();
      return definitions.stream().allMatch(d -> lists.computeIfAbsent(d[0], kind -> get("/api/" + kind)).contains("\"name\":\"" + d[1] + "\""));
    });
  }

  /**
   * The same, with properties as key/value pairs written as an operator types them in the console;
   * they are escaped for asadmin ({@code \\}, {@code :} and {@code =} in values).
   */
  public void define(String kind, String name, String... keyValues) {
    StringBuilder properties = new StringBuilder();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (properties.length() > 0) {
        properties.append(':');
      }
      properties.append(keyValues[i]).append('=').append(keyValues[i + 1].replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\="));
    }
    addDefinition(kind, name, properties.toString());
  }

  /** Removes a definition as the admin console does ({@code delete-custom-resource} through the REST administration interface). */
  public void removeDefinition(String kind, String name) {
    adminRest("DELETE", "/management/domain/resources/custom-resource/"
        + java.net.URLEncoder.encode("engine/" + kind + "/" + name, StandardCharsets.UTF_8), Map.of());
  }

  /** A call on the domain's REST administration interface as {@code admin}; fails unless the command it runs succeeds. */
  private String adminRest(String method, String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", adminAuthorization())
        .header("X-Requested-By", "GlassFish REST HTML interface")
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2 || !response.body().contains("\"exit_code\":\"SUCCESS\"")) {
      throw new IllegalStateException(method + " " + path + " " + form + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private String adminAuthorization;

  /** Basic authentication as {@code admin}, with the password from asadmin's password file (read once). */
  private synchronized String adminAuthorization() {
    if (adminAuthorization == null) {
      try {
        String password = Files.readAllLines(adminPasswordFile()).stream().filter(l -> l.startsWith("AS_ADMIN_PASSWORD="))
            .map(l -> l.substring("AS_ADMIN_PASSWORD=".length())).findFirst().orElseThrow();
        adminAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return adminAuthorization;
  }

  /** Runs {@code ./engine <command>} on this build's engine (e.g. {@code redis-stop}, {@code redis-start}). */
  public void engineCommand(String command) {
    run(List.of(System.getProperty("engine.script"), command), Map.of("ENGINE_VAR", var.toString()));
  }

  /** Runs an asadmin command against the test domain, as an operator would; fails if asadmin does. */
  public String asadmin(String... args) {
    List<String> command = new ArrayList<>();
    command.add(var.resolve("payara6/bin/asadmin").toString());
    command.add("--user");
    command.add("admin");
    command.add("--passwordfile");
    command.add(adminPasswordFile().toString());
    command.add("--port");
    command.add(String.valueOf(adminPort()));
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  private static String run(List<String> command, Map<String, String> environment) {
    Map.Entry<Integer, String> result = exec(command, environment);
    if (result.getKey() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.getValue());
    }
    return result.getValue();
  }

}
