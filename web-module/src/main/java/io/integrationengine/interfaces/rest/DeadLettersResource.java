package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.AuditAction;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.services.output.DeliveryReplay;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A destination's dead letters: listed for everyone who reads; replayed or discarded, some (message
 * ids in the body) or all (no body, or an empty list), by operators and admins. Each action is audited.
 */
@Path("/destinations/{destination}/dead")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
public class DeadLettersResource {

  @Inject
  DeliveryQueue queue;

  @Inject
  DeliveryReplay replay;

  @Inject
  Caller caller;

  /** A dead letter: the message, its route, how often it was tried, and the last error. */
  public record DeadLetter(String messageId, String route, String destination, int attempts, String createdAt, String lastError) {
    static DeadLetter of(DeliveryTask t) {
      return new DeadLetter(t.messageId(), t.route(), t.destination(), t.attempts(), Instant.ofEpochMilli(t.createdAt()).toString(), t.lastError());
    }
  }

  @GET
  public List<DeadLetter> list(@PathParam("destination") String destination, @QueryParam("limit") @DefaultValue("200") int limit) {
    return queue.deadLetters(destination, Math.max(1, Math.min(limit, 1000))).stream().map(DeadLetter::of).toList();
  }

  @POST
  @Path("/replay")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({ApiRoles.OPERATOR, ApiRoles.ADMIN})
  public Map<String, List<String>> replay(@PathParam("destination") String destination, List<String> messageIds) {
    List<String> chosen = messageIds == null || messageIds.isEmpty() ? null : messageIds;
    List<String> replayed = replay.replayDead(destination, chosen);
    caller.audit(AuditAction.REPLAY_DEAD, "destination:" + destination, (chosen == null ? "all" : chosen.size() + " chosen") + ", replayed " + replayed);
    return Map.of("replayed", replayed);
  }

  @POST
  @Path("/discard")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({ApiRoles.OPERATOR, ApiRoles.ADMIN})
  public Map<String, List<String>> discard(@PathParam("destination") String destination, List<String> messageIds) {
    List<String> chosen = messageIds == null || messageIds.isEmpty() ? null : messageIds;
    List<String> discarded = replay.discardDead(destination, chosen);
    caller.audit(AuditAction.DISCARD_DEAD, "destination:" + destination, (chosen == null ? "all" : chosen.size() + " chosen") + ", discarded " + discarded);
    return Map.of("discarded", discarded);
  }
}
