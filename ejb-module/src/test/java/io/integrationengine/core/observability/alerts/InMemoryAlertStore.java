package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.observability.alerts.AlertNotice.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AlertStore} in maps, for the evaluation's tests. */
class InMemoryAlertStore implements AlertStore {

  final Map<String, Alert> alerts = new LinkedHashMap<>();
  final Map<String, AlertNotice> notices = new LinkedHashMap<>();

  @Override
  public Map<String, Alert> openAlerts() {
    Map<String, Alert> open = new LinkedHashMap<>();
    alerts.values().stream().filter(a -> a.getState() == Alert.State.OPEN).forEach(a -> open.put(a.getRule(), a));
    return open;
  }

  @Override
  public Alert open(AlertRule rule, double value, String detail, Instant at) {
    if (openAlerts().containsKey(rule.name())) {
      throw new IllegalStateException("unique OPEN_RULE " + rule.name());
    }
    Alert alert = new Alert(rule, value, detail, at);
    alerts.put(alert.getId(), alert);
    rule.targets().forEach(t -> {
      AlertNotice n = new AlertNotice(alert, Event.OPEN, t, at);
      notices.put(n.getId(), n);
    });
    return alert;
  }

  @Override
  public void checked(String alertId, double value, String detail, Instant at) {
    alerts.get(alertId).checked(value, detail, at);
  }

  @Override
  public void resolve(String alertId, double value, String detail, Instant at) {
    Alert alert = alerts.get(alertId);
    alert.resolve(value, detail, at);
    NotifyTarget.parseList(alert.getNotify()).forEach(t -> {
      AlertNotice n = new AlertNotice(alert, Event.RESOLVED, t, at);
      notices.put(n.getId(), n);
    });
  }

  @Override
  public List<AlertNotice> due(Instant now, int limit) {
    return notices.values().stream().filter(n -> n.getSentAt() == null && !n.isAbandoned() && !nextAttempt(n).isAfter(now)).limit(limit).toList();
  }

  private static Instant nextAttempt(AlertNotice n) {
    try {
      var f = AlertNotice.class.getDeclaredField("nextAttemptAt");
      f.setAccessible(true);
      return ((java.time.OffsetDateTime) f.get(n)).toInstant();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean claim(String noticeId, Instant until) {
    notices.get(noticeId).claim(until);
    return true;
  }

  @Override
  public void sent(String noticeId, Instant at) {
    notices.get(noticeId).sent(at);
  }

  @Override
  public void failed(String noticeId, String error, Instant nextAttempt, boolean giveUp) {
    notices.get(noticeId).failed(error, nextAttempt, giveUp);
  }

  @Override
  public Optional<Alert> find(String alertId) {
    return Optional.ofNullable(alerts.get(alertId));
  }

  @Override
  public List<Alert> latest(boolean openOnly, int limit) {
    List<Alert> all = new ArrayList<>(openAlerts().values());
    if (!openOnly) {
      alerts.values().stream().filter(a -> a.getState() == Alert.State.RESOLVED).sorted(Comparator.comparing(Alert::getResolvedAt).reversed()).forEach(all::add);
    }
    return all.stream().limit(limit).toList();
  }

  @Override
  public Map<String, List<AlertNotice>> notices(Collection<String> alertIds) {
    Map<String, List<AlertNotice>> by = new LinkedHashMap<>();
    notices.values().stream().filter(n -> alertIds.contains(n.getAlertId())).forEach(n -> by.computeIfAbsent(n.getAlertId(), k -> new ArrayList<>()).add(n));
    return by;
  }
}
