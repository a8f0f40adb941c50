package io.integrationengine.services.output.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * What a FHIR server's answer to a delivery means: 2xx delivered (with the ids and versions it
 * gave the resources), 429 and 5xx worth retrying (not before its {@code Retry-After}, in seconds
 * or as an HTTP date), any other status refused for good, with the diagnostics of the
 * OperationOutcome it sent.
 */
public sealed interface FhirServerAnswer {

  /** Accepted; {@code resources} are the {@code Type/id/_history/version} the server reported. */
  record Delivered(int status, List<String> resources) implements FhirServerAnswer {}

  /** Worth trying again; {@code after} is the server's {@code Retry-After}, or null. */
  record TryAgain(int status, String reason, Duration after) implements FhirServerAnswer {}

  /** Refused: the same request would be refused again. */
  record Refused(int status, String reason) implements FhirServerAnswer {}

  /**
   * Classifies an answer.
   *
   * @param location the {@code Location} or {@code Content-Location} header, or null
   * @param retryAfter the {@code Retry-After} header, or null
   * @param body the answer's body (FHIR JSON or XML, or anything else)
   * @param now the time a date in {@code Retry-After} is measured from
   */
  static FhirServerAnswer classify(FhirContext fhir, int status, String location, String retryAfter, byte[] body, Instant now) {
    IBaseResource resource = parse(fhir, body);
    if (status >= 200 && status < 300) {
      return new Delivered(status, resources(resource, location));
    }
    String detail = diagnostics(resource, body);
    String reason = "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
    if (status == 429 || status >= 500) {
      return new TryAgain(status, reason, retryAfter(retryAfter, now));
    }
    return new Refused(status, reason);
  }

  /** {@code Retry-After} as a wait from {@code now}: delay-seconds or an HTTP date; null if absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      // an HTTP date, then
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static IBaseResource parse(FhirContext fhir, byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      IParser parser = text.startsWith("<") ? fhir.newXmlParser() : text.startsWith("{") ? fhir.newJsonParser() : null;
      return parser == null ? null : parser.parseResource(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> resources(IBaseResource resource, String location) {
    List<String> found = new ArrayList<>();
    if (resource instanceof Bundle bundle) {
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        if (entry.getResponse().hasLocation()) {
          found.add(relative(entry.getResponse().getLocation()));
        } else if (entry.hasResource() && entry.getResource().getIdElement().hasIdPart()) {
          found.add(entry.getResource().getIdElement().toUnqualified().getValue());
        }
      }
    } else if (location != null && !location.isBlank()) {
      found.add(relative(location));
    } else if (resource != null && resource.getIdElement().hasIdPart() && !(resource instanceof OperationOutcome)) {
      found.add(resource.getIdElement().toUnqualified().getValue());
    }
    return found;
  }

  /** {@code http://host/fhir/Patient/1/_history/2} -> {@code Patient/1/_history/2}. */
  private static String relative(String location) {
    String[] parts = location.split("/");
    int history = location.indexOf("/_history/");
    int keep = history >= 0 ? 4 : 2;
    if (parts.length < keep) {
      return location;
    }
    return String.join("/", java.util.Arrays.copyOfRange(parts, parts.length - keep, parts.length));
  }

  private static String diagnostics(IBaseResource resource, byte[] body) {
    if (resource instanceof OperationOutcome outcome) {
      return outcome.getIssue().stream()
          .map(issue -> (issue.hasSeverity() ? issue.getSeverity().toCode() + " " : "") + (issue.hasCode() ? issue.getCode().toCode() + ": " : "")
              + (issue.hasDiagnostics() ? issue.getDiagnostics() : issue.getDetails().getText())
              + (issue.hasExpression() ? " (at " + issue.getExpression().get(0).getValue() + ")" : ""))
          .collect(Collectors.joining("; "));
    }
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }
}
