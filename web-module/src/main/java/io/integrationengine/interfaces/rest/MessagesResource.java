package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.AuditAction;
import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.services.output.DeliveryReplay;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stored messages, newest first, with their status and deliveries: what an analyst looks at first.
 * Content is shown decoded with the message's charset; {@code /raw} gives the bytes as received.
 */
@Path("/messages")
@RequestScoped
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  @Inject
  MessageRepository messages;

  @Inject
  DeliveryLog deliveries;

  @Inject
  DeliveryReplay replay;

  @Inject
  Caller caller;

  /** A message in a list: envelope and status, no content. */
  public record MessageSummary(
      String id, String receivedAt, String channel, String remoteAddress, String parentId, String contentType, String charset,
      String sendingApplication, String sendingFacility, String controlId, String messageType, String hl7Version, String status, String statusDetail,
      String patientId, String patientName, String traceId) {

    static MessageSummary of(StoredMessage m) {
      return new MessageSummary(m.getId(), m.getReceivedAt().toString(), m.getChannel(), m.getRemoteAddress(), m.getParentId(), m.getContentType().name(),
          m.getCharset(), m.firstAttribute("sendingApplication"), m.firstAttribute("sendingFacility"), m.getControlId(), m.getMessageType(),
          m.firstAttribute("version"), m.getStatus().name(), m.getStatusDetail(), m.firstAttribute("patientId"), m.firstAttribute("patientName"), m.getTraceId());
    }
  }

  /**
   * One delivery of a message to a destination, with what was sent when a transform changed it.
   *
   * @param attemptHistory oldest first: each failed attempt, each success a replay reset, and the
   *     current success when the delivery is DELIVERED (a replay counts its attempts from 1 again)
   */
  public record DeliveryView(String destination, String route, String status, int attempts, String lastError, String target, String updatedAt,
      String sentContentType, String sentContent, List<AttemptView> attemptHistory) {
    static DeliveryView of(DeliveryRecord d, List<DeliveryAttempt> kept) {
      Content sent = d.sentContent();
      List<AttemptView> history = new ArrayList<>();
      kept.forEach(a -> history.add(AttemptView.of(a)));
      if (d.getStatus() == DeliveryStatus.DELIVERED) {
        // a success is kept by its record only (no row on the delivery path), until a replay resets it
        history.add(new AttemptView(d.getAttempts(), d.getUpdatedAt().toString(), DeliveryStatus.DELIVERED.name(), null, d.getTarget()));
      }
      return new DeliveryView(d.getDestination(), d.getRoute(), d.getStatus().name(), d.getAttempts(), d.getLastError(), d.getTarget(), d.getUpdatedAt().toString(),
          sent == null ? null : sent.type().name(), sent == null ? null : readable(sent), history);
    }
  }

  /** One attempt of a delivery: its number, when its outcome was recorded (UTC), the outcome, why it failed, where it went. */
  public record AttemptView(int attempt, String at, String status, String error, String target) {
    static AttemptView of(DeliveryAttempt a) {
      return new AttemptView(a.getAttempt(), a.getAt().toString(), a.getStatus().name(), a.getError(), a.getTarget());
    }
  }

  /**
   * A message with its attributes, content and deliveries.
   *
   * @param content the bytes decoded with the message's charset (base64 for binary content)
   * @param size the number of bytes received
   */
  public record MessageDetail(MessageSummary message, Map<String, List<String>> attributes, String content, int size, List<DeliveryView> deliveries) {}

  /**
   * Newest first. {@code patient} (identifier, or the start of a name), {@code type}
   * ({@code ADT^A01} or {@code ADT}), {@code channel}, {@code sender} (MSH-3 or MSH-4), {@code from}
   * and {@code to} (ISO date-times, or dates), and {@code text} (case ignored) search together with
   * {@code controlId} and {@code status}. A text of fewer than three characters needs another
   * filter: alone it is answered 400.
   */
  @GET
  public List<MessageSummary> list(@QueryParam("status") String status, @QueryParam("controlId") String controlId, @QueryParam("attribute") String attribute,
      @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("patient") String patient, @QueryParam("type") String type,
      @QueryParam("channel") String channel, @QueryParam("sender") String sender, @QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("text") String text) {
    MessageStatus wanted = null;
    if (status != null && !status.isBlank()) {
      try {
        wanted = MessageStatus.valueOf(status.strip().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("Unknown status '" + status + "'; one of " + List.of(MessageStatus.values()));
      }
    }
    int bounded = Math.max(1, Math.min(limit, 500));
    if (java.util.stream.Stream.of(patient, type, channel, sender, from, to, text).anyMatch(v -> v != null && !v.isBlank())) {
      MessageRepository.Search search = new MessageRepository.Search(controlId, patient, type, wanted, channel, sender, time(from, "from", false),
          time(to, "to", true), text);
      if (search.shortTextAlone()) {
        throw new BadRequestException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
            .entity("text needs at least " + MessageRepository.Search.MIN_TEXT + " characters, or another filter: '" + text.strip()
                + "' alone would read every stored message")
            .build());
      }
      return messages.search(search, bounded).stream().map(MessageSummary::of).toList();
    }
    List<StoredMessage> found;
    if (attribute != null && !attribute.isBlank()) {
      int colon = attribute.indexOf(':');
      if (colon <= 0) {
        throw new BadRequestException("attribute must be name:value, e.g. patientId:12345");
      }
      found = messages.withAttribute(attribute.substring(0, colon), attribute.substring(colon + 1), bounded);
    } else {
      found = controlId == null ? messages.latest(wanted, bounded) : messages.withControlId(controlId, bounded);
    }
    MessageStatus filter = wanted;
    return found.stream().filter(m -> filter == null || m.getStatus() == filter).map(MessageSummary::of).toList();
  }

  @GET
  @Path("/{id}")
  public MessageDetail get(@PathParam("id") String id) {
    StoredMessage m = messages.find(id).orElseThrow(() -> new NotFoundException("No message " + id));
    caller.audit(AuditAction.VIEW_CONTENT, id, m.getMessageType() + " " + m.getControlId());
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    for (MessageAttribute a : m.getAttributes()) {
      attributes.computeIfAbsent(a.getName(), k -> new ArrayList<>()).add(a.getValue());
    }
    Map<String, List<DeliveryAttempt>> attempts = deliveries.attemptsFor(id).stream().collect(Collectors.groupingBy(DeliveryAttempt::getDeliveryKey));
    return new MessageDetail(MessageSummary.of(m), attributes, readable(m.content()), m.getContent().length,
        deliveries.forMessage(id).stream().map(d -> DeliveryView.of(d, attempts.getOrDefault(d.getId(), List.of()))).toList());
  }

  /** The bytes exactly as received, with the content type and charset the engine read them with. */
  @GET
  @Path("/{id}/raw")
  @Produces(MediaType.WILDCARD)
  public Response raw(@PathParam("id") String id) {
    StoredMessage m = messages.find(id).orElseThrow(() -> new NotFoundException("No message " + id));
    caller.audit(AuditAction.VIEW_RAW, id, m.getMessageType() + " " + m.getControlId());
    String type = m.getContentType().mediaType() + (m.getCharset() == null ? "" : "; charset=" + m.getCharset());
    return Response.ok(m.getContent(), type).build();
  }

  /**
   * Sends a message again to every destination it was routed to, or with {@code destination} to
   * that one; deliveries still on their way are left alone (listed as skipped). 409 when nothing
   * was replayed.
   */
  @POST
  @Path("/{id}/replay")
  @RolesAllowed({ApiRoles.OPERATOR, ApiRoles.ADMIN})
  public Response replay(@PathParam("id") String id, @QueryParam("destination") String destination) {
    messages.find(id).orElseThrow(() -> new NotFoundException("No message " + id));
    String only = destination == null || destination.isBlank() ? null : destination.strip();
    DeliveryReplay.Outcome outcome = replay.replay(id, only);
    caller.audit(AuditAction.REPLAY, id, (only == null ? "all destinations" : "destination " + only) + ": replayed " + outcome.replayed()
        + (outcome.skipped().isEmpty() ? "" : ", skipped " + outcome.skipped()));
    return Response.status(outcome.replayed().isEmpty() ? Response.Status.CONFLICT : Response.Status.ACCEPTED).entity(outcome).build();
  }

  /** An ISO date-time, or a date (its start; for {@code to}, the start of the next day). */
  static OffsetDateTime time(String value, String name, boolean end) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip());
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime local = value.strip().length() == 10 ? LocalDate.parse(value.strip()).plusDays(end ? 1 : 0).atStartOfDay() : LocalDateTime.parse(value.strip());
        return local.atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw new BadRequestException(name + " must be an ISO date-time or date (2026-11-27T10:00:00Z, 2026-11-27T10:00, 2026-11-27): " + value);
      }
    }
  }

  private static String readable(Content content) {
    return content.charset() == null ? Base64.getEncoder().encodeToString(content.bytes()) : new String(content.bytes(), content.charset());
  }
}
