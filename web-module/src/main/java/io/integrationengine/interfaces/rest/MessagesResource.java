package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.MessageStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Stored messages, newest first, with their status and deliveries: what an analyst looks at first. */
@Path("/messages")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  @EJB
  MessageStore store;

  /** A message in a list: header fields and status, no content. */
  public record MessageSummary(
      String id, String receivedAt, String channel, String remoteAddress, String sendingApplication, String sendingFacility,
      String controlId, String messageType, String hl7Version, String status, String statusDetail) {

    static MessageSummary of(StoredMessage m) {
      return new MessageSummary(m.getId(), m.getReceivedAt().toString(), m.getChannel(), m.getRemoteAddress(), m.getSendingApplication(),
          m.getSendingFacility(), m.getControlId(), m.getMessageType(), m.getHl7Version(), m.getStatus().name(), m.getStatusDetail());
    }
  }

  /** One delivery of a message to a destination. */
  public record Delivery(String destination, String route, String status, int attempts, String lastError, String target, String updatedAt) {
    static Delivery of(DeliveryRecord d) {
      return new Delivery(d.getDestination(), d.getRoute(), d.getStatus().name(), d.getAttempts(), d.getLastError(), d.getTarget(), d.getUpdatedAt().toString());
    }
  }

  /** A message with its content and deliveries. */
  public record MessageDetail(MessageSummary message, String content, List<Delivery> deliveries) {}

  @GET
  public List<MessageSummary> list(@QueryParam("status") String status, @QueryParam("controlId") String controlId, @QueryParam("limit") @DefaultValue("50") int limit) {
    MessageStatus wanted = null;
    if (status != null && !status.isBlank()) {
      try {
        wanted = MessageStatus.valueOf(status.strip().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("Unknown status '" + status + "'; one of " + List.of(MessageStatus.values()));
      }
    }
    int bounded = Math.max(1, Math.min(limit, 500));
    List<StoredMessage> found = controlId == null ? store.latest(wanted, bounded) : store.withControlId(controlId, bounded);
    MessageStatus filter = wanted;
    return found.stream().filter(m -> filter == null || m.getStatus() == filter).map(MessageSummary::of).toList();
  }

  @GET
  @Path("/{id}")
  public MessageDetail get(@PathParam("id") String id) {
    StoredMessage m = store.find(id).orElseThrow(() -> new NotFoundException("No message " + id));
    return new MessageDetail(MessageSummary.of(m), m.getContent(), store.deliveries(id).stream().map(Delivery::of).toList());
  }
}
