package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.AuditAction;
import io.integrationengine.core.model.AuditEntry;
import io.integrationengine.core.services.AuditTrail;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The audit trail, newest first, filtered by actor, action, subject and time; as JSON or CSV ({@code format=csv}). */
@Path("/audit")
@RequestScoped
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
public class AuditResource {

  @Inject
  AuditTrail audit;

  /** An audit line as the API shows it. */
  public record Entry(String id, String at, String actor, String action, String subject, String detail, String source) {
    static Entry of(AuditEntry e) {
      return new Entry(e.getId(), e.getAt().toString(), e.getActor(), e.getAction().name(), e.getSubject(), e.getDetail(), e.getSource());
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, "text/csv"})
  public Response list(@QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("subject") String subject,
      @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") @DefaultValue("200") int limit,
      @QueryParam("format") String format) {
    AuditAction wanted = null;
    if (action != null && !action.isBlank()) {
      try {
        wanted = AuditAction.valueOf(action.strip().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("Unknown action '" + action + "'; one of " + List.of(AuditAction.values()));
      }
    }
    AuditTrail.Query query = new AuditTrail.Query(blankToNull(actor), wanted, blankToNull(subject), MessagesResource.time(from, "from", false),
        MessagesResource.time(to, "to", true));
    List<Entry> entries = audit.find(query, Math.max(1, Math.min(limit, 10_000))).stream().map(Entry::of).toList();
    if ("csv".equalsIgnoreCase(format)) {
      StringBuilder csv = new StringBuilder("at,actor,action,subject,detail,source\r\n");
      for (Entry e : entries) {
        csv.append(String.join(",", csv(e.at()), csv(e.actor()), csv(e.action()), csv(e.subject()), csv(e.detail()), csv(e.source()))).append("\r\n");
      }
      return Response.ok(csv.toString(), "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"audit.csv\"").build();
    }
    return Response.ok(entries, MediaType.APPLICATION_JSON).build();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** RFC 4180: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
  static String csv(String value) {
    if (value == null) {
      return "";
    }
    String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    return v.matches("(?s).*[,\"\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
