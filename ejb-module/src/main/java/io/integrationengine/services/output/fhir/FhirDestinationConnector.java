package io.integrationengine.services.output.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.DestinationConnector;
import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.OutboundMessage;
import io.integrationengine.services.output.PermanentDeliveryFailure;
import io.integrationengine.services.output.RetryLater;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * Sends FHIR R4 content (JSON or XML, usually made by {@code toFhir()}) to a FHIR server over
 * REST, byte for byte as the route made it: a transaction or batch Bundle is posted to the base
 * as it is (the converter's Bundles carry conditional PUTs, so a replay updates rather than
 * duplicates); a single resource is sent as a conditional update on its first identifier
 * ({@code PUT [base]/Type?identifier=system|value}), or a PUT on its id when it has no identifier,
 * so a replay never makes a second copy. The answer decides ({@link FhirServerAnswer}): 2xx
 * delivered, the delivery record naming the resources and versions the server reported; 429 and
 * 5xx retried, never before {@code Retry-After}; timeouts and broken connections retried; any
 * other status dead-lettered with the OperationOutcome's diagnostics.
 *
 * <p>Settings: see {@link FhirEndpoint}. Secrets come from Payara password aliases, read through
 * MicroProfile Config.
 */
@ApplicationScoped
public class FhirDestinationConnector implements DestinationConnector {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  private final Function<String, String> secrets;
  private final Clock clock;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private final OAuth2Tokens tokens;

  public FhirDestinationConnector() {
    this(alias -> ConfigProvider.getConfig().getOptionalValue(alias, String.class).orElse(null), Clock.systemUTC());
  }

  /** For tests: secrets by alias name (and configuration values by name) from {@code secrets}. */
  public FhirDestinationConnector(Function<String, String> secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
    this.tokens = new OAuth2Tokens(clock, secrets);
  }

  @Override
  public String type() {
    return "fhir";
  }

  @Override
  public String deliver(OutboundMessage message, DestinationDefinition destination) throws Exception {
    FhirEndpoint endpoint;
    try {
      endpoint = FhirEndpoint.of(destination);
    } catch (IllegalArgumentException e) {
      throw new PermanentDeliveryFailure(e.getMessage());
    }
    ContentType type = message.content().type();
    if (type != ContentType.FHIR_JSON && type != ContentType.FHIR_XML) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "' (fhir) sends FHIR JSON or XML, the message is " + type
          + "; give the route a toFhir() transform for it");
    }
    HttpRequest.Builder request = request(message, destination, endpoint);
    request.timeout(endpoint.readTimeout()).header("Accept", type.mediaType()).header("Content-Type",
        type.mediaType() + "; charset=" + (message.content().charset() == null ? "UTF-8" : message.content().charset().name()));
    String authorization = authorization(destination, endpoint);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpRequest built = request.build();
    HttpResponse<byte[]> response = client(endpoint).send(built, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 401 && endpoint.auth() == FhirEndpoint.Auth.OAUTH2) {
      // the token may have been revoked or expired early: the next attempt fetches a new one
      tokens.forget(destination.name());
      throw new IllegalStateException(built.method() + " " + built.uri() + " answered 401 with the OAuth2 token; a new one is fetched for the next attempt");
    }
    String location = response.headers().firstValue("Location").or(() -> response.headers().firstValue("Content-Location")).orElse(null);
    FhirServerAnswer answer = FhirServerAnswer.classify(R4, response.statusCode(), location, response.headers().firstValue("Retry-After").orElse(null),
        response.body(), clock.instant());
    String where = built.method() + " " + built.uri();
    if (answer instanceof FhirServerAnswer.Delivered delivered) {
      return where + " " + delivered.status() + (delivered.resources().isEmpty() ? "" : ": " + String.join(", ", delivered.resources()));
    }
    if (answer instanceof FhirServerAnswer.TryAgain again) {
      throw new RetryLater(where + " answered " + again.reason(), again.after());
    }
    throw new PermanentDeliveryFailure(where + " answered " + ((FhirServerAnswer.Refused) answer).reason());
  }

  /** The request for the content: a Bundle to the base, a resource as a conditional update. */
  private static HttpRequest.Builder request(OutboundMessage message, DestinationDefinition destination, FhirEndpoint endpoint) throws PermanentDeliveryFailure {
    IBaseResource resource;
    try {
      String text = message.content().text();
      resource = (message.content().type() == ContentType.FHIR_XML ? R4.newXmlParser() : R4.newJsonParser()).parseResource(text);
    } catch (RuntimeException e) {
      throw new PermanentDeliveryFailure("message " + message.messageId() + " is not a FHIR R4 resource for destination '" + destination.name() + "': " + e.getMessage());
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofByteArray(message.content().bytes());
    if (resource instanceof Bundle bundle && (bundle.getType() == Bundle.BundleType.TRANSACTION || bundle.getType() == Bundle.BundleType.BATCH)) {
      // to the base with its slash: a servlet container answers a POST to a context root without one with a redirect
      return HttpRequest.newBuilder(endpoint.resolve("")).POST(body);
    }
    String resourceType = R4.getResourceType(resource);
    Identifier identifier = resource instanceof Resource r ? firstIdentifier(r) : null;
    if (identifier != null) {
      String token = (identifier.hasSystem() ? identifier.getSystem() + "|" : "") + identifier.getValue();
      return HttpRequest.newBuilder(endpoint.resolve(resourceType + "?identifier=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).PUT(body);
    }
    if (resource.getIdElement().hasIdPart()) {
      return HttpRequest.newBuilder(endpoint.resolve(resourceType + "/" + URLEncoder.encode(resource.getIdElement().getIdPart(), StandardCharsets.UTF_8))).PUT(body);
    }
    throw new PermanentDeliveryFailure("message " + message.messageId() + ": the " + resourceType + " for destination '" + destination.name()
        + "' has neither an identifier nor an id, so it cannot be sent without risking a duplicate on a replay");
  }

  private static Identifier firstIdentifier(Resource resource) {
    var property = resource.getNamedProperty("identifier");
    if (property == null) {
      return null;
    }
    return property.getValues().stream().filter(Identifier.class::isInstance).map(Identifier.class::cast).filter(Identifier::hasValue).findFirst().orElse(null);
  }

  private String authorization(DestinationDefinition destination, FhirEndpoint endpoint) throws Exception {
    return switch (endpoint.auth()) {
      case NONE -> null;
      case BASIC -> "Basic " + java.util.Base64.getEncoder().encodeToString((endpoint.user() + ":" + secret(destination, endpoint)).getBytes(StandardCharsets.UTF_8));
      case BEARER -> "Bearer " + secret(destination, endpoint);
      case OAUTH2 -> "Bearer " + tokens.token(destination.name(), endpoint, secret(destination, endpoint), client(endpoint));
    };
  }

  private String secret(DestinationDefinition destination, FhirEndpoint endpoint) throws PermanentDeliveryFailure {
    String value = secrets.apply(endpoint.secretAlias());
    if (value == null) {
      throw new PermanentDeliveryFailure("destination '" + destination.name() + "': no password alias '" + endpoint.secretAlias()
          + "' (create it with asadmin create-password-alias)");
    }
    return value;
  }

  private HttpClient client(FhirEndpoint endpoint) {
    return clients.computeIfAbsent(endpoint.connectTimeout().toMillis() + "", key -> HttpClient.newBuilder().connectTimeout(endpoint.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build());
  }

  /** For tests and diagnostics: the URI a message would be sent to. */
  static URI target(OutboundMessage message, DestinationDefinition destination) throws PermanentDeliveryFailure {
    return request(message, destination, FhirEndpoint.of(destination)).build().uri();
  }
}
