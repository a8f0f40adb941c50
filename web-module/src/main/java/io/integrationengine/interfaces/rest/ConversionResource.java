package io.integrationengine.interfaces.rest;

import ca.uhn.fhir.parser.DataFormatException;
import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.ConversionException;
import io.integrationengine.conversion.fhir.ConversionResult;
import io.integrationengine.conversion.fhir.Hl7v2Event;
import io.integrationengine.conversion.fhir.NotMappedNote;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.fhir.FhirConversion;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Conversions for analysts, with the same code as the {@code toFhir} transform.
 *
 * <p>{@code POST /api/convert/hl7v2-to-fhir}: the body is one ER7 message (any segment
 * separator; charset from the Content-Type, UTF-8 without one); {@code ?bundleType=transaction}
 * (default) or {@code message}. The answer is the Bundle itself, so it can go straight to a FHIR
 * server, with the header {@code X-Conversion-Notes} counting what the Bundle does not carry. With
 * {@code Prefer: return=OperationOutcome} (FHIR's way to ask for the outcome instead of the
 * resource) the answer is an OperationOutcome with one warning per such item instead. JSON, or
 * XML when {@code Accept} or {@code _format} asks for it; {@code _pretty=true} indents. A body that
 * is not an HL7v2 message, or a wrong parameter, gives 400 with an OperationOutcome saying why.
 *
 * <p>{@code POST /api/convert/fhir-to-hl7v2}: the reverse, see {@link #fhirToHl7v2}.
 */
@Path("/convert")
@RequestScoped
@RolesAllowed({ApiRoles.SENDER, ApiRoles.OPERATOR, ApiRoles.ADMIN})
public class ConversionResource {

  static final String NOTES_HEADER = "X-Conversion-Notes";
  static final String ER7 = "x-application/hl7-v2+er7";
  private static final Logger LOG = Logger.getLogger(ConversionResource.class.getName());

  @Inject
  FhirConversion conversion;

  @POST
  @Path("/hl7v2-to-fhir")
  public Response hl7v2ToFhir(byte[] body, @QueryParam("bundleType") String bundleType, @QueryParam("_format") String format,
      @QueryParam("_pretty") boolean pretty, @Context HttpHeaders headers) {
    ContentType encoding = encoding(format, headers);
    try {
      BundleKind kind = bundleKind(bundleType);
      String er7 = text(body, headers.getMediaType());
      ConversionResult result = conversion.hl7v2ToFhir(er7, kind);
      boolean outcomeWanted = headers.getRequestHeaders().getOrDefault("Prefer", List.of()).stream()
          .anyMatch(p -> p.replace(" ", "").toLowerCase(Locale.ROOT).contains("return=operationoutcome"));
      IBaseResource answer = outcomeWanted ? notesOutcome(result.notMapped()) : result.bundle();
      return Response.ok(conversion.encode(answer, encoding, pretty), mediaType(encoding))
          .header(NOTES_HEADER, result.notMapped().size())
          .build();
    } catch (BadInput e) {
      return error(Response.Status.BAD_REQUEST, e.type, e.getMessage(), encoding, pretty);
    } catch (ConversionException e) {
      return error(Response.Status.BAD_REQUEST, IssueType.STRUCTURE, "not an HL7v2 ER7 message: " + e.getMessage(), encoding, pretty);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "HL7v2 to FHIR conversion failed unexpectedly", e);
      return error(Response.Status.INTERNAL_SERVER_ERROR, IssueType.EXCEPTION, "conversion failed: " + e, encoding, pretty);
    }
  }

  /**
   * FHIR R4 (a Patient, or a Bundle; JSON, or XML when the Content-Type says xml) to one HL7v2
   * v2.5.1 ER7 message. {@code ?event=ADT^A01|ADT^A04|ADT^A08|ORU^R01}; without it, ORU^R01 when
   * the input has an Observation, else ADT^A08.
   */
  @POST
  @Path("/fhir-to-hl7v2")
  public Response fhirToHl7v2(byte[] body, @QueryParam("event") String event, @Context HttpHeaders headers) {
    MediaType type = headers.getMediaType();
    ContentType format = type != null && type.getSubtype().toLowerCase(Locale.ROOT).contains("xml") ? ContentType.FHIR_XML : ContentType.FHIR_JSON;
    try {
      IBaseResource resource;
      try {
        resource = conversion.parse(text(body, type), format);
      } catch (DataFormatException e) {
        throw new BadInput(IssueType.STRUCTURE, "not FHIR R4 " + (format == ContentType.FHIR_XML ? "XML" : "JSON") + ": " + e.getMessage());
      }
      Hl7v2Event wanted;
      try {
        wanted = event == null || event.isBlank() ? defaultEvent(resource) : Hl7v2Event.of(event);
      } catch (IllegalArgumentException e) {
        throw new BadInput(IssueType.VALUE, e.getMessage());
      }
      return Response.ok(conversion.fhirToHl7v2(resource, wanted), ER7 + ";charset=UTF-8").build();
    } catch (BadInput e) {
      return error(Response.Status.BAD_REQUEST, e.type, e.getMessage(), ContentType.FHIR_JSON, false);
    } catch (ConversionException e) {
      return error(Response.Status.BAD_REQUEST, IssueType.INVALID, e.getMessage(), ContentType.FHIR_JSON, false);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "FHIR to HL7v2 conversion failed unexpectedly", e);
      return error(Response.Status.INTERNAL_SERVER_ERROR, IssueType.EXCEPTION, "conversion failed: " + e, ContentType.FHIR_JSON, false);
    }
  }

  private static Hl7v2Event defaultEvent(IBaseResource resource) {
    boolean results = resource instanceof Bundle bundle && bundle.getEntry().stream().anyMatch(e -> e.getResource() instanceof Observation);
    return results ? Hl7v2Event.ORU_R01 : Hl7v2Event.ADT_A08;
  }

  /** One warning per item the Bundle does not carry, or one information issue saying there is none. */
  static OperationOutcome notesOutcome(List<NotMappedNote> notes) {
    OperationOutcome outcome = new OperationOutcome();
    for (NotMappedNote note : notes) {
      outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.NOTSUPPORTED).setDiagnostics(note.toString());
    }
    if (notes.isEmpty()) {
      outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
          .setDiagnostics("everything in the message is in the Bundle");
    }
    return outcome;
  }

  private Response error(Response.Status status, IssueType type, String why, ContentType encoding, boolean pretty) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(why);
    return Response.status(status).entity(conversion.encode(outcome, encoding, pretty)).type(mediaType(encoding)).build();
  }

  private static BundleKind bundleKind(String written) throws BadInput {
    if (written == null || written.isBlank()) {
      return BundleKind.TRANSACTION;
    }
    for (BundleKind kind : BundleKind.values()) {
      if (kind.name().equalsIgnoreCase(written.strip())) {
        return kind;
      }
    }
    throw new BadInput(IssueType.VALUE, "unknown bundleType '" + written + "'; one of "
        + Arrays.stream(BundleKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
  }

  /** The body decoded strictly: a byte that is not valid in the declared charset is refused, never replaced. */
  private static String text(byte[] body, MediaType type) throws BadInput {
    if (body == null || body.length == 0) {
      throw new BadInput(IssueType.REQUIRED, "the body is empty; send one HL7v2 ER7 message");
    }
    String declared = type == null ? null : type.getParameters().get("charset");
    Charset charset;
    try {
      charset = declared == null ? StandardCharsets.UTF_8 : Charset.forName(declared);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new BadInput(IssueType.VALUE, "unknown charset '" + declared + "' in the Content-Type");
    }
    try {
      return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new BadInput(IssueType.STRUCTURE, "the body is not valid " + charset.name() + " text"
          + (declared == null ? "; declare its charset in the Content-Type (e.g. text/plain; charset=windows-1252)" : ""));
    }
  }

  /** XML when {@code _format} or Accept asks for it (before JSON), JSON otherwise. */
  private static ContentType encoding(String format, HttpHeaders headers) {
    return FhirFormats.answer(format, headers, ContentType.FHIR_JSON);
  }

  private static String mediaType(ContentType encoding) {
    return FhirFormats.mediaType(encoding);
  }

  /** A request the client has to change: the issue type says how. */
  private static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient IssueType type;

    BadInput(IssueType type, String message) {
      super(message);
      this.type = type;
    }
  }
}
