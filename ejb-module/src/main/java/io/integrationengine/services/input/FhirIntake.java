package io.integrationengine.services.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.PipelineMetrics;
import io.integrationengine.core.observability.PipelineMetrics.Rejection;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.fhir.FhirProfiles;
import io.integrationengine.services.processing.fhir.FhirValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR R4 intake handler: reads a resource or Bundle posted to {@code /api/fhir}, checks it
 * (well-formed, of the type the path names, valid against base R4 and the channel's profiles) and
 * stores it byte for byte as a message (content type FHIR JSON or XML, with the resource type,
 * id and patient as attributes) that is routed like any other. What it refuses is stored too, as
 * REJECTED with the reasons, and answered with an OperationOutcome listing every issue and where.
 * XML with a document type declaration is refused before any parser sees it: FHIR forbids DTDs,
 * and none can then make the parser read a file or a URL (XXE).
 */
@ApplicationScoped
public class FhirIntake {

  private static final Logger LOG = Logger.getLogger(FhirIntake.class.getName());
  private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY = Pattern.compile("<!ENTITY", Pattern.CASE_INSENSITIVE);
  /** The Bundle types the intake takes at {@code POST /api/fhir}. */
  public static final Set<Bundle.BundleType> BUNDLE_TYPES =
      Set.of(Bundle.BundleType.TRANSACTION, Bundle.BundleType.BATCH, Bundle.BundleType.MESSAGE, Bundle.BundleType.COLLECTION);

  /** What the sender is told, in HTTP terms. */
  public enum Status {
    ACCEPTED(202), BAD_REQUEST(400), NOT_FOUND(404), UNPROCESSABLE(422), UNAVAILABLE(503);

    public final int code;

    Status(int code) {
      this.code = code;
    }
  }

  /**
   * A post to the intake.
   *
   * @param bytes the body exactly as received
   * @param charset the charset the Content-Type declares, or null (FHIR is UTF-8)
   * @param format {@link ContentType#FHIR_JSON} or {@link ContentType#FHIR_XML}
   * @param pathType the resource type in the path ({@code /api/fhir/Patient}), or null for {@code /api/fhir}, which takes Bundles
   * @param channelId the channel's configuration name ({@code engine/channels/<channelId>}), e.g. {@code fhir-rest}
   * @param channel where it came in, as stored and shown, e.g. {@code fhir:rest}
   */
  public record Submission(byte[] bytes, Charset charset, ContentType format, String pathType, String channelId, String channel, String remoteAddress) {}

  /**
   * What became of a post.
   *
   * @param messageId the stored message (accepted, or rejected and kept), or null when it could not be stored
   * @param resource the parsed resource, when it could be parsed
   * @param outcome every issue found, or the confirmation
   */
  public record Result(Status status, String messageId, IBaseResource resource, OperationOutcome outcome) {}

  @Inject
  FhirConversion conversion;

  @Inject
  FhirValidation validation;

  @Inject
  FhirChannels channels;

  @Inject
  MessageIntake intake;

  @Inject
  PipelineMetrics metrics = PipelineMetrics.NONE;

  public FhirIntake() {}

  /** For tests. */
  public FhirIntake(FhirConversion conversion, FhirValidation validation, FhirChannels channels, MessageIntake intake) {
    this.conversion = conversion;
    this.validation = validation;
    this.channels = channels;
    this.intake = intake;
  }

  /** Handles the post and counts it: received, rejected by reason, and the time to answer. */
  public Result receive(Submission in) {
    long start = System.nanoTime();
    metrics.received(in.channelId());
    Result result = handle(in);
    if (result.status() != Status.ACCEPTED) {
      metrics.rejected(in.channelId(), switch (result.status()) {
        case UNPROCESSABLE -> Rejection.PROFILE;
        case UNAVAILABLE -> result.outcome().getIssueFirstRep().getCode() == IssueType.TRANSIENT ? Rejection.STORE_FAILED : Rejection.CHANNEL_CONFIG;
        default -> Rejection.UNREADABLE;
      });
    }
    metrics.answered(System.nanoTime() - start);
    return result;
  }

  private Result handle(Submission in) {
    Charset charset = in.charset() == null ? StandardCharsets.UTF_8 : in.charset();
    String channel = in.channel();
    StoredMessage message = StoredMessage.received(in.bytes(), in.format(), charset, channel, in.remoteAddress());
    FhirContext context = conversion.context();
    if (in.pathType() != null && !context.getResourceTypes().contains(in.pathType())) {
      return refuse(message, Status.NOT_FOUND, issue(IssueType.NOTSUPPORTED, "unknown resource type '" + in.pathType() + "' in the path: FHIR R4 has no such type", null));
    }
    if (in.bytes().length == 0) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.REQUIRED, "the body is empty; send one FHIR R4 resource" + (in.pathType() == null ? " (a Bundle)" : ""), null));
    }
    String text;
    try {
      text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in.bytes())).toString();
    } catch (CharacterCodingException e) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.STRUCTURE, "the body is not valid " + charset.name() + " text", null));
    }
    if (in.format() == ContentType.FHIR_XML && (DOCTYPE.matcher(text).find() || ENTITY.matcher(text).find())) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.SECURITY,
          "XML with a document type declaration (DOCTYPE or ENTITY) is not accepted: FHIR resources never carry one; it was not parsed", null));
    }
    IBaseResource parsed;
    try {
      parsed = conversion.parse(text, in.format());
    } catch (DataFormatException e) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.STRUCTURE,
          "not FHIR R4 " + (in.format() == ContentType.FHIR_XML ? "XML" : "JSON") + ": " + e.getMessage(), null));
    }
    if (!(parsed instanceof Resource resource)) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.STRUCTURE, "not a FHIR R4 resource", null));
    }
    message.describe(FhirAttributes.read(resource));
    String type = resource.fhirType();
    if (in.pathType() != null && !in.pathType().equals(type)) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.INVALID,
          "the body is a " + type + " but the path says " + in.pathType() + "; post it to /api/fhir/" + type, type));
    }
    if (in.pathType() == null && !(resource instanceof Bundle)) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.INVALID,
          "POST /api/fhir takes a Bundle; post a " + type + " to /api/fhir/" + type, type));
    }
    if (resource instanceof Bundle bundle && bundle.hasType() && !BUNDLE_TYPES.contains(bundle.getType())) {
      return refuse(message, Status.BAD_REQUEST, issue(IssueType.NOTSUPPORTED, "a Bundle of type " + bundle.getType().toCode()
          + " is not taken; one of transaction, batch, message or collection", "Bundle.type"));
    }

    FhirProfiles profiles;
    try {
      profiles = channels.profiles(in.channelId());
    } catch (IllegalStateException e) {
      LOG.severe(e.getMessage());
      return failed(issue(IssueType.EXCEPTION, e.getMessage() + "; the engine's operators must fix it; resend later", null));
    }
    List<SingleValidationMessage> issues = validation.validate(text, resource, profiles);
    OperationOutcome outcome = outcome(issues);
    if (FhirValidation.refuses(issues)) {
      return refuse(message, Status.UNPROCESSABLE, outcome);
    }
    try {
      intake.accept(message);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not store FHIR " + type + " from " + in.remoteAddress() + " on " + channel, e);
      return failed(issue(IssueType.TRANSIENT, "the engine could not store the resource; resend later", null));
    }
    outcome.getIssue().add(0, new OperationOutcome.OperationOutcomeIssueComponent().setSeverity(IssueSeverity.INFORMATION)
        .setCode(IssueType.INFORMATIONAL).setDiagnostics("accepted as message " + message.getId()));
    return new Result(Status.ACCEPTED, message.getId(), resource, outcome);
  }

  /** Stored as REJECTED with every error; answered with the outcome. */
  private Result refuse(StoredMessage message, Status status, OperationOutcome outcome) {
    String reasons = String.join("; ", outcome.getIssue().stream()
        .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
        .map(i -> (i.hasExpression() ? i.getExpression().get(0).getValue() + ": " : "") + i.getDiagnostics())
        .toList());
    try {
      intake.reject(message, reasons);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not store refused FHIR resource from " + message.getRemoteAddress() + " on " + message.getChannel(), e);
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.TRANSIENT)
          .setDiagnostics("the engine could not store the refused resource either");
      return new Result(status, null, null, outcome);
    }
    LOG.info(() -> "Refused FHIR resource, stored as message " + message.getId() + " from " + message.getRemoteAddress() + ": " + reasons);
    return new Result(status, message.getId(), null, outcome);
  }

  private static Result failed(OperationOutcome outcome) {
    return new Result(Status.UNAVAILABLE, null, null, outcome);
  }

  private static OperationOutcome issue(IssueType type, String diagnostics, String expression) {
    OperationOutcome outcome = new OperationOutcome();
    OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
    if (expression != null) {
      issue.addExpression(expression);
    }
    return outcome;
  }

  /** The validator's findings as FHIR issues: where (FHIRPath, and line/column in what was sent), what, how bad. */
  static OperationOutcome outcome(List<SingleValidationMessage> issues) {
    OperationOutcome outcome = new OperationOutcome();
    List<SingleValidationMessage> sorted = new ArrayList<>(issues);
    sorted.sort((a, b) -> Integer.compare(rank(a.getSeverity()), rank(b.getSeverity())));
    for (SingleValidationMessage found : sorted) {
      OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
          .setSeverity(severity(found.getSeverity()))
          .setCode(found.getSeverity() == ResultSeverityEnum.INFORMATION ? IssueType.INFORMATIONAL : IssueType.PROCESSING);
      String where = found.getLocationLine() == null ? "" : " (line " + found.getLocationLine() + ", column " + found.getLocationCol() + ")";
      issue.setDiagnostics(found.getMessage() + where);
      if (found.getLocationString() != null && !found.getLocationString().isEmpty()) {
        issue.addExpression(found.getLocationString());
      }
    }
    return outcome;
  }

  private static int rank(ResultSeverityEnum severity) {
    return switch (severity) {
      case FATAL -> 0;
      case ERROR -> 1;
      case WARNING -> 2;
      case INFORMATION -> 3;
    };
  }

  private static IssueSeverity severity(ResultSeverityEnum severity) {
    return switch (severity) {
      case FATAL -> IssueSeverity.FATAL;
      case ERROR -> IssueSeverity.ERROR;
      case WARNING -> IssueSeverity.WARNING;
      case INFORMATION -> IssueSeverity.INFORMATION;
    };
  }
}
