package io.integrationengine.services.output.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.OutboundMessage;
import io.integrationengine.services.output.PermanentDeliveryFailure;
import io.integrationengine.services.output.RetryLater;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against a real HTTP server started by the test, answering as each test scripts it. */
class FhirDestinationConnectorTest {

  /** A request the test server received. */
  record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {}

  /** An answer the test server gives. */
  record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
    Answer(int status, String body, String... headers) {
      this(status, body, pairs(headers), 0);
    }

    static Map<String, String> pairs(String... headers) {
      Map<String, String> map = new java.util.HashMap<>();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        map.put(headers[i], headers[i + 1]);
      }
      return map;
    }
  }

  private static final String BUNDLE = """
      {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"4711"}]},
       "request":{"method":"PUT","url":"Patient?identifier=urn:mrn|4711"}}]}""";
  private static final String PATIENT = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:1.2.3\",\"value\":\"A 1&2\"}],\"birthDate\":\"1970-01-01\"}";

  private HttpServer server;
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
  private final List<Received> received = new ArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final Map<String, String> aliases = new java.util.HashMap<>();
  private final FhirDestinationConnector connector = new FhirDestinationConnector(aliases::get, Clock.systemUTC());

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      synchronized (received) {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()),
            exchange.getRequestBody().readAllBytes()));
      }
      Answer answer = answers.isEmpty() ? new Answer(500, "no answer scripted") : answers.poll();
      if (answer.delayMillis() > 0) {
        try {
          // a server that does not answer in time: held until the test ends (or this long at most)
          released.await(answer.delayMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    released.countDown();
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  private DestinationDefinition destination(String... keyValues) {
    Properties p = new Properties();
    p.setProperty("type", "fhir");
    p.setProperty("baseUrl", base());
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return DestinationDefinition.from("ehr", p);
  }

  private static OutboundMessage message(String json) {
    return new OutboundMessage("m1", "C1", new Content(json.getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8));
  }

  @Test
  void aTransactionBundleIsPostedToTheBaseByteForByte() throws Exception {
    answers.add(new Answer(200, """
        {"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"201 Created","location":"Patient/5/_history/1"}}]}"""));

    String target = connector.deliver(message(BUNDLE), destination());

    assertThat(target).isEqualTo("POST " + base() + "/ 200: Patient/5/_history/1");
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.uri()).isEqualTo("/fhir/");
      assertThat(r.body()).isEqualTo(BUNDLE.getBytes(StandardCharsets.UTF_8));
      assertThat(r.headers().get("Content-type")).containsExactly("application/fhir+json; charset=UTF-8");
      assertThat(r.headers()).doesNotContainKey("Authorization");
    });
  }

  @Test
  void aSingleResourceIsAConditionalUpdateOnItsIdentifier() throws Exception {
    answers.add(new Answer(201, "", "Location", base() + "/Patient/9/_history/1"));
    answers.add(new Answer(200, "", "Location", base() + "/Patient/9/_history/2"));

    assertThat(connector.deliver(message(PATIENT), destination())).endsWith(" 201: Patient/9/_history/1");
    // a replay updates the same patient
    assertThat(connector.deliver(message(PATIENT), destination())).endsWith(" 200: Patient/9/_history/2");
    assertThat(received).hasSize(2).allSatisfy(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.uri()).isEqualTo("/fhir/Patient?identifier=urn%3Aoid%3A1.2.3%7CA+1%262");
    });
  }

  @Test
  void aResourceWithoutIdentifierGoesToItsIdAndWithoutEitherIsRefused() throws Exception {
    answers.add(new Answer(200, "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"4\"}}"));
    assertThat(connector.deliver(message("{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\"}"), destination())).endsWith(" 200: Observation/o1/_history/4");
    assertThat(received.get(0).uri()).isEqualTo("/fhir/Observation/o1");

    assertThatThrownBy(() -> connector.deliver(message("{\"resourceType\":\"Observation\",\"status\":\"final\"}"), destination()))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("neither an identifier nor an id");
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedHonouringRetryAfter() {
    answers.add(new Answer(503, "down for maintenance"));
    answers.add(new Answer(429, "", "Retry-After", "7"));

    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination())).isInstanceOfSatisfying(RetryLater.class, e -> {
      assertThat(e.after()).isNull();
      assertThat(e.getMessage()).contains("HTTP 503: down for maintenance");
    });
    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination())).isInstanceOfSatisfying(RetryLater.class,
        e -> assertThat(e.after()).isEqualTo(Duration.ofSeconds(7)));
  }

  @Test
  void aRefusalIsDeadLetteredWithTheOperationOutcomesText() {
    answers.add(new Answer(422, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"invariant\",\"diagnostics\":\"MRN missing\"}]}",
        "Content-Type", "application/fhir+json"));

    assertThatThrownBy(() -> connector.deliver(message(PATIENT), destination())).isInstanceOf(PermanentDeliveryFailure.class)
        .hasMessageEndingWith("answered HTTP 422: error invariant: MRN missing");
  }

  @Test
  void aSlowServerTimesOutAndIsRetried() {
    answers.add(new Answer(200, "", Map.of(), 10_000));
    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination("readTimeoutMillis", "300"))).isInstanceOf(HttpTimeoutException.class)
        .isNotInstanceOf(PermanentDeliveryFailure.class);
  }

  @Test
  void basicAndBearerCredentialsComeFromPasswordAliases() throws Exception {
    aliases.put("ehr-password", "s3cret");
    aliases.put("ehr-token", "tok-123");
    answers.add(new Answer(200, ""));
    answers.add(new Answer(200, ""));

    connector.deliver(message(BUNDLE), destination("auth", "basic", "user", "engine", "passwordAlias", "ehr-password"));
    connector.deliver(message(BUNDLE), destination("auth", "bearer", "tokenAlias", "ehr-token"));

    assertThat(received.get(0).headers().get("Authorization")).containsExactly("Basic ZW5naW5lOnMzY3JldA==");
    assertThat(received.get(1).headers().get("Authorization")).containsExactly("Bearer tok-123");
    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination("auth", "bearer", "tokenAlias", "missing")))
        .isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("no password alias 'missing'");
  }

  @Test
  void oauth2ClientCredentialsFetchesATokenOnceAndUsesIt() throws Exception {
    aliases.put("ehr-client-secret", "cs");
    answers.add(new Answer(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "Content-Type", "application/json"));
    answers.add(new Answer(200, ""));
    answers.add(new Answer(200, ""));
    DestinationDefinition oauth = destination("auth", "oauth2", "tokenUrl", base().replace("/fhir", "/token"), "clientId", "engine", "clientSecretAlias",
        "ehr-client-secret", "scope", "system/*.write");

    connector.deliver(message(BUNDLE), oauth);
    connector.deliver(message(BUNDLE), oauth);

    assertThat(received).hasSize(3);
    assertThat(received.get(0).uri()).isEqualTo("/token");
    assertThat(new String(received.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials&scope=system%2F*.write");
    assertThat(received.get(0).headers().get("Authorization")).containsExactly("Basic ZW5naW5lOmNz");
    assertThat(received.get(1).headers().get("Authorization")).containsExactly("Bearer at-1");
    assertThat(received.get(2).headers().get("Authorization")).containsExactly("Bearer at-1");
  }

  @Test
  void oauth2WithoutTokenUrlDiscoversTheTokenEndpointOfTheEnginesOwnIssuerOnce() throws Exception {
    aliases.put("sender-secret", "cs");
    aliases.put("mp.jwt.verify.issuer", base().replace("/fhir", "/realms/engine"));
    answers.add(new Answer(200, "{\"issuer\":\"x\",\"token_endpoint\":\"" + base().replace("/fhir", "/realms/engine/token") + "\"}",
        "Content-Type", "application/json"));
    answers.add(new Answer(200, "{\"access_token\":\"at-2\",\"expires_in\":3600}", "Content-Type", "application/json"));
    answers.add(new Answer(200, ""));
    DestinationDefinition oauth = destination("auth", "oauth2", "clientId", "engine-sender", "clientSecretAlias", "sender-secret");

    connector.deliver(message(BUNDLE), oauth);

    assertThat(received).extracting(Received::uri).containsExactly("/realms/engine/.well-known/openid-configuration", "/realms/engine/token", "/fhir/");
    assertThat(received.get(2).headers().get("Authorization")).containsExactly("Bearer at-2");
  }

  @Test
  void wrongSettingsAndContentAreRefusedWithTheReason() {
    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination("auth", "kerberos"))).isInstanceOf(PermanentDeliveryFailure.class)
        .hasMessageContaining("auth must be none, basic, bearer or oauth2");
    assertThatThrownBy(() -> connector.deliver(message(BUNDLE), destination("baseUrl", "ftp://x"))).isInstanceOf(PermanentDeliveryFailure.class)
        .hasMessageContaining("baseUrl must be an http or https URL");
    OutboundMessage er7 = new OutboundMessage("m2", "C2", new Content("MSH|^~\\&|".getBytes(StandardCharsets.US_ASCII), ContentType.HL7V2_ER7, StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> connector.deliver(er7, destination())).isInstanceOf(PermanentDeliveryFailure.class).hasMessageContaining("toFhir()");
    assertThat(received).isEmpty();
  }
}
