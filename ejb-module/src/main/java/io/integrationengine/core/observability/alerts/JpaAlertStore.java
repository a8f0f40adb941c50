package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.observability.alerts.AlertNotice.Event;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AlertStore} in the message store's database (tables {@code ENGINE_ALERT} and
 * {@code ENGINE_ALERT_NOTICE}). A session bean, as {@code JpaAuditTrail} is: the REST API in the
 * web module reads through it too. Every change commits in a transaction of its own.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JpaAlertStore implements AlertStore {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Map<String, Alert> openAlerts() {
    Map<String, Alert> open = new LinkedHashMap<>();
    em.createNamedQuery(Alert.OPEN, Alert.class).setParameter("state", Alert.State.OPEN).getResultList().forEach(a -> open.put(a.getRule(), a));
    return open;
  }

  @Override
  public Alert open(AlertRule rule, double value, String detail, Instant at) {
    Alert alert = new Alert(rule, value, detail, at);
    em.persist(alert);
    for (NotifyTarget target : rule.targets()) {
      em.persist(new AlertNotice(alert, Event.OPEN, target, at));
    }
    // the unique open rule is checked here, inside the method, so a loser sees an exception
    em.flush();
    return alert;
  }

  @Override
  public void checked(String alertId, double value, String detail, Instant at) {
    Alert alert = em.find(Alert.class, alertId);
    if (alert != null && alert.getState() == Alert.State.OPEN) {
      alert.checked(value, detail, at);
    }
  }

  @Override
  public void resolve(String alertId, double value, String detail, Instant at) {
    Alert alert = em.find(Alert.class, alertId, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
    if (alert == null || alert.getState() != Alert.State.OPEN) {
      return;
    }
    alert.resolve(value, detail, at);
    for (NotifyTarget target : NotifyTarget.parseList(alert.getNotify())) {
      em.persist(new AlertNotice(alert, Event.RESOLVED, target, at));
    }
    em.flush();
  }

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<AlertNotice> due(Instant now, int limit) {
    return em.createNamedQuery(AlertNotice.DUE, AlertNotice.class).setParameter("now", now.atOffset(java.time.ZoneOffset.UTC)).setMaxResults(limit)
        .getResultList();
  }

  @Override
  public boolean claim(String noticeId, Instant until) {
    AlertNotice notice = em.find(AlertNotice.class, noticeId);
    if (notice == null || notice.getSentAt() != null) {
      return false;
    }
    notice.claim(until);
    try {
      em.flush();
      return true;
    } catch (OptimisticLockException e) {
      return false;
    }
  }

  @Override
  public void sent(String noticeId, Instant at) {
    AlertNotice notice = em.find(AlertNotice.class, noticeId);
    if (notice != null) {
      notice.sent(at);
    }
  }

  @Override
  public void failed(String noticeId, String error, Instant nextAttempt, boolean giveUp) {
    AlertNotice notice = em.find(AlertNotice.class, noticeId);
    if (notice != null) {
      notice.failed(error, nextAttempt, giveUp);
    }
  }

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<Alert> find(String alertId) {
    return Optional.ofNullable(em.find(Alert.class, alertId));
  }

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<Alert> latest(boolean openOnly, int limit) {
    List<Alert> alerts = new ArrayList<>(em.createNamedQuery(Alert.OPEN, Alert.class).setParameter("state", Alert.State.OPEN).setMaxResults(limit).getResultList());
    if (!openOnly && alerts.size() < limit) {
      alerts.addAll(em.createNamedQuery(Alert.RESOLVED, Alert.class).setParameter("state", Alert.State.RESOLVED).setMaxResults(limit - alerts.size())
          .getResultList());
    }
    return alerts;
  }

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Map<String, List<AlertNotice>> notices(Collection<String> alertIds) {
    Map<String, List<AlertNotice>> byAlert = new LinkedHashMap<>();
    if (alertIds.isEmpty()) {
      return byAlert;
    }
    for (AlertNotice n : em.createNamedQuery(AlertNotice.OF_ALERTS, AlertNotice.class).setParameter("ids", List.copyOf(alertIds)).getResultList()) {
      byAlert.computeIfAbsent(n.getAlertId(), id -> new ArrayList<>()).add(n);
    }
    return byAlert;
  }
}
