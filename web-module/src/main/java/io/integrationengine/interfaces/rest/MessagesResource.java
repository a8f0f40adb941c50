package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.DeliveryLog;
import io.integrationengine.core.services.MessageRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** A message in a list: envelope and status, no content. */
  public record MessageSummary(
      String id, String receivedAt, String channel, String remoteAddress, String parentId, String contentType, String charset,
      String sendingApplication, String sendingFacility, String controlId, String messageType, String hl7Version, String status, String statusDetail) {

    static MessageSummary of(StoredMessage m) {
      return new MessageSummary(m.getId(), m.getReceivedAt().toString(), m.getChannel(), m.getRemoteAddress(), m.getParentId(), m.getContentType().name(),
          m.getCharset(), m.firstAttribute("sendingApplication"), m.firstAttribute("sendingFacility"), m.getControlId(), m.getMessageType(),
          m.firstAttribute("version"), m.getStatus().name(), m.getStatusDetail());
    }
  }

  /** One delivery of a message to a destination, with what was sent when a transform changed it. */
  public record DeliveryView(String destination, String route, String status, int attempts, String lastError, String target, String updatedAt,
      String sentContentType, String sentContent) {
    static DeliveryView of(DeliveryRecord d) {
      Content sent = d.sentContent();
      return new DeliveryView(d.getDestination(), d.getRoute(), d.getStatus().name(), d.getAttempts(), d.getLastError(), d.getTarget(), d.getUpdatedAt().toString(),
          sent == null ? null : sent.type().name(), sent == null ? null : readable(sent));
    }
  }

  /**
   * A message with its attributes, content and deliveries.
   *
   * @param content the bytes decoded with the message's charset (base64 for binary content)
   * @param size the number of bytes received
   */
  public record MessageDetail(MessageSummary message, Map<String, List<String>> attributes, String content, int size, List<DeliveryView> deliveries) {}

  @GET
  public List<MessageSummary> list(@QueryParam("status") String status, @QueryParam("controlId") String controlId, @QueryParam("attribute") String attribute,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    MessageStatus wanted = null;
    if (status != null && !status.isBlank()) {
      try {
        wanted = MessageStatus.valueOf(status.strip().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("Unknown status '" + status + "'; one of " + List.of(MessageStatus.values()));
      }
    }
    int bounded = Math.max(1, Math.min(limit, 500));
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
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    for (MessageAttribute a : m.getAttributes()) {
      attributes.computeIfAbsent(a.getName(), k -> new java.util.ArrayList<>()).add(a.getValue());
    }
    return new MessageDetail(MessageSummary.of(m), attributes, readable(m.content()), m.getContent().length,
        deliveries.forMessage(id).stream().map(DeliveryView::of).toList());
  }

  /** The bytes exactly as received, with the content type and charset the engine read them with. */
  @GET
  @Path("/{id}/raw")
  @Produces(MediaType.WILDCARD)
  public Response raw(@PathParam("id") String id) {
    StoredMessage m = messages.find(id).orElseThrow(() -> new NotFoundException("No message " + id));
    String type = m.getContentType().mediaType() + (m.getCharset() == null ? "" : "; charset=" + m.getCharset());
    return Response.ok(m.getContent(), type).build();
  }

  private static String readable(Content content) {
    return content.charset() == null ? Base64.getEncoder().encodeToString(content.bytes()) : new String(content.bytes(), content.charset());
  }
}
