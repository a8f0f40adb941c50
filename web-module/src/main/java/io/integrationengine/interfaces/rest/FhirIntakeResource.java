package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.FhirChannels;
import io.integrationengine.services.input.FhirIntake;
import io.integrationengine.services.input.FhirIntake.Result;
import io.integrationengine.services.input.FhirIntake.Status;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.fhir.FhirProfiles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The FHIR R4 intake: systems post resources here for the engine to route, the way others send
 * HL7v2 over MLLP. {@code POST /api/fhir/{type}} takes one resource of that type;
 * {@code POST /api/fhir} a Bundle (transaction, batch, message or collection), stored as one
 * message. JSON or XML, by the Content-Type (or the first character). Accepted: {@code 202} with
 * {@code Location: /api/messages/{id}} and an OperationOutcome (the validator's warnings, if any);
 * a transaction or batch Bundle is answered with a transaction-response (batch-response) Bundle
 * whose entries say the same, as FHIR clients expect. Refused: {@code 400} (not FHIR, wrong type
 * for the path), {@code 404} (unknown type), {@code 422} (invalid against base R4 or the channel's
 * profiles), each with an OperationOutcome listing every issue and where; {@code 503} when the
 * engine cannot store it now. {@code GET /api/fhir/metadata} describes the intake.
 */
@Path("/fhir")
@RequestScoped
@RolesAllowed({ApiRoles.SENDER, ApiRoles.OPERATOR, ApiRoles.ADMIN})
public class FhirIntakeResource {

  @Inject
  FhirIntake intake;

  @Inject
  FhirChannels channels;

  @Inject
  FhirConversion conversion;

  @Context
  HttpServletRequest request;

  @Context
  UriInfo uri;

  @POST
  public Response bundle(byte[] body, @QueryParam("_format") String format, @QueryParam("_pretty") boolean pretty, @Context HttpHeaders headers) {
    return receive(null, body, format, pretty, headers);
  }

  @POST
  @Path("/{type}")
  public Response resource(@PathParam("type") String type, byte[] body, @QueryParam("_format") String format, @QueryParam("_pretty") boolean pretty,
      @Context HttpHeaders headers) {
    return receive(type, body, format, pretty, headers);
  }

  @GET
  @Path("/metadata")
  public Response metadata(@QueryParam("_format") String format, @QueryParam("_pretty") boolean pretty, @Context HttpHeaders headers) {
    ContentType answer = FhirFormats.answer(format, headers, ContentType.FHIR_JSON);
    return Response.ok(conversion.encode(capabilities(), answer, pretty), FhirFormats.mediaType(answer)).build();
  }

  private Response receive(String type, byte[] body, String format, boolean pretty, HttpHeaders headers) {
    byte[] bytes = body == null ? new byte[0] : body;
    ContentType sent = FhirFormats.body(headers.getMediaType(), bytes);
    ContentType answer = FhirFormats.answer(format, headers, sent);
    Charset charset;
    try {
      String declared = headers.getMediaType() == null ? null : headers.getMediaType().getParameters().get("charset");
      charset = declared == null ? null : Charset.forName(declared);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      OperationOutcome outcome = new OperationOutcome();
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.VALUE).setDiagnostics("unknown charset in the Content-Type: " + e.getMessage());
      return Response.status(Response.Status.BAD_REQUEST).entity(conversion.encode(outcome, answer, pretty)).type(FhirFormats.mediaType(answer)).build();
    }
    Result result = intake.receive(new FhirIntake.Submission(bytes, charset, sent, type, FhirChannels.DEFAULT, FhirChannels.DEFAULT_SHOWN, remoteAddress()));
    Response.ResponseBuilder response = Response.status(result.status().code);
    IBaseResource entity = result.outcome();
    if (result.messageId() != null) {
      URI location = uri.getBaseUriBuilder().path("messages").path(result.messageId()).build();
      response.header("X-Message-Id", result.messageId());
      if (result.status() == Status.ACCEPTED) {
        response.location(location);
        if (result.resource() instanceof Bundle bundle
            && (bundle.getType() == Bundle.BundleType.TRANSACTION || bundle.getType() == Bundle.BundleType.BATCH)) {
          entity = responseBundle(bundle, location, result.outcome());
        }
      }
    }
    if (result.status() == Status.UNAVAILABLE) {
      response.header("Retry-After", 30);
    }
    return response.entity(conversion.encode(entity, answer, pretty)).type(FhirFormats.mediaType(answer)).build();
  }

  /** What a FHIR client expects back from a transaction or batch: one response entry per entry, each accepted for routing. */
  private static Bundle responseBundle(Bundle request, URI location, OperationOutcome outcome) {
    Bundle response = new Bundle();
    response.setType(request.getType() == Bundle.BundleType.TRANSACTION ? Bundle.BundleType.TRANSACTIONRESPONSE : Bundle.BundleType.BATCHRESPONSE);
    for (int i = 0; i < request.getEntry().size(); i++) {
      Bundle.BundleEntryResponseComponent entry = response.addEntry().getResponse().setStatus("202 Accepted").setLocation(location.toString());
      if (i == 0) {
        entry.setOutcome(outcome);
      }
    }
    return response;
  }

  private String remoteAddress() {
    return request == null ? null : request.getRemoteAddr() + ":" + request.getRemotePort();
  }

  private CapabilityStatement capabilities() {
    CapabilityStatement statement = new CapabilityStatement();
    statement.setStatus(PublicationStatus.ACTIVE).setDate(new Date()).setKind(CapabilityStatementKind.INSTANCE)
        .setFhirVersion(FHIRVersion._4_0_1).setPublisher("Integration engine");
    statement.getSoftware().setName("Integration engine FHIR intake");
    statement.getImplementation().setDescription("Takes FHIR R4 resources and Bundles to route them: accepted ones are answered 202 with the "
        + "engine's message id, not stored as FHIR resources here (see /fhir for the engine's FHIR repository)")
        .setUrl(uri.getBaseUriBuilder().path("fhir").build().toString());
    statement.addFormat("application/fhir+json").addFormat("application/fhir+xml").addFormat("json").addFormat("xml");
    CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
    rest.setDocumentation("POST a resource to [base]/{type} or a Bundle (transaction, batch, message, collection) to [base]; "
        + "validated against base R4 and the profiles of channel '" + FhirChannels.DEFAULT + "'");
    rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
    rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
    FhirProfiles profiles;
    try {
      profiles = channels.profiles(FhirChannels.DEFAULT);
    } catch (IllegalStateException e) {
      profiles = FhirProfiles.NONE;
    }
    for (String type : new TreeSet<>(conversion.context().getResourceTypes())) {
      CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type);
      resource.addInteraction().setCode(TypeRestfulInteraction.CREATE);
      List<String> enforced = profiles.enforcedOn(type);
      enforced.forEach(resource::addSupportedProfile);
      if (!enforced.isEmpty()) {
        resource.setDocumentation("every " + type.toLowerCase(Locale.ROOT) + " must conform to " + String.join(", ", enforced));
      }
    }
    return statement;
  }
}
