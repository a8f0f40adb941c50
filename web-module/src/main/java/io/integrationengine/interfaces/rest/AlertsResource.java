package io.integrationengine.interfaces.rest;

import io.integrationengine.core.observability.alerts.Alert;
import io.integrationengine.core.observability.alerts.AlertNotice;
import io.integrationengine.core.observability.alerts.AlertRule;
import io.integrationengine.core.observability.alerts.AlertRules;
import io.integrationengine.core.observability.alerts.AlertStore;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alerts (docs/operations.md, "Alerts"): open ones first, newest first, then the latest
 * resolved, each with the notifications sent or still owed for it; and the rules as the engine
 * currently reads them ({@code engine/alerts/<name>}), those that do not validate with the reason.
 */
@Path("/alerts")
@RequestScoped
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

  @Inject
  AlertStore store;

  @Inject
  AlertRules rules;

  /**
   * A notification of an alert.
   *
   * @param event {@code open} or {@code resolved}
   * @param sentAt null while owed; {@code lastError} says why the latest attempt failed
   */
  public record Notification(String target, String event, String sentAt, int attempts, String lastError, boolean abandoned) {}

  /**
   * An alert.
   *
   * @param state {@code open} or {@code resolved}
   * @param value the figure last checked: a depth, a count of dead letters, a share rejected, minutes of silence
   */
  public record AlertView(String id, String rule, String type, String state, String openedAt, String resolvedAt, double value, String detail, String checkedAt,
      List<Notification> notifications) {}

  /** Alerts, at most {@code limit} (default 100); {@code state=open} gives only the open ones. */
  @GET
  public List<AlertView> list(@QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100") int limit) {
    if (state != null && !state.equals("open") && !state.equals("all")) {
      throw new BadRequestException("state must be open or all, was '" + state + "'");
    }
    List<Alert> alerts = store.latest("open".equals(state), Math.max(1, Math.min(limit, 1000)));
    Map<String, List<AlertNotice>> notices = store.notices(alerts.stream().map(Alert::getId).toList());
    List<AlertView> views = new ArrayList<>();
    for (Alert a : alerts) {
      List<Notification> sent = notices.getOrDefault(a.getId(), List.of()).stream()
          .map(n -> new Notification(n.getTarget(), n.getEvent().label(), text(n.getSentAt()), n.getAttempts(), n.getLastError(), n.isAbandoned())).toList();
      views.add(new AlertView(a.getId(), a.getRule(), a.getType(), a.getState().name().toLowerCase(java.util.Locale.ROOT), text(a.getOpenedAt()), text(a.getResolvedAt()),
          a.getValue(), a.getDetail(), text(a.getCheckedAt()), sent));
    }
    return views;
  }

  /** A rule as read from {@code engine/alerts/<name>}; an invalid one has {@code valid: false} and the reason. */
  public record Rule(String name, boolean valid, String error, String type, boolean enabled, List<String> targets, String condition) {}

  @GET
  @Path("rules")
  public List<Rule> rules() {
    List<Rule> all = new ArrayList<>();
    for (AlertRule r : rules.current().valid().values()) {
      all.add(new Rule(r.name(), true, null, r.type().key(), r.enabled(), r.targets().stream().map(Object::toString).toList(), r.condition().toString()));
    }
    rules.current().invalid().forEach((name, error) -> all.add(new Rule(name, false, error, null, false, List.of(), null)));
    return all;
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }
}
