package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.observability.alerts.AlertCondition.Check;
import io.integrationengine.core.observability.alerts.AlertCondition.Clear;
import io.integrationengine.core.observability.alerts.AlertCondition.Firing;
import io.integrationengine.core.observability.alerts.AlertNotifier.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One round of alerting: checks every enabled rule, opens and resolves alerts in the store, then
 * sends the notifications owed. An alert opens when its rule's condition has held for the rule's
 * {@code forMinutes} (that wait is counted in memory: a restart starts it again), and resolves when
 * the condition no longer holds; an alert whose rule was deleted or disabled resolves too. A
 * notification that fails is tried again at later rounds, pausing longer each time (5 s doubling,
 * at most 15 minutes), and given up after a day; each failure is logged.
 */
public final class AlertEvaluation {

  private static final Logger LOG = Logger.getLogger(AlertEvaluation.class.getName());
  static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
  static final Duration MAX_PAUSE = Duration.ofMinutes(15);
  static final Duration CLAIM = Duration.ofMinutes(2);

  private final AlertStore store;
  private final AlertFacts facts;
  private final Map<String, AlertNotifier> notifiers;
  private final String engine;
  /** Since when each rule's condition has held, for rules still waiting out {@code forMinutes}. */
  private final Map<String, Instant> holdingSince = new ConcurrentHashMap<>();
  /** The last problem logged per rule, so a lasting one is logged once. */
  private final Map<String, String> problems = new ConcurrentHashMap<>();

  public AlertEvaluation(AlertStore store, AlertFacts facts, Collection<AlertNotifier> notifiers, String engine) {
    this.store = store;
    this.facts = facts;
    this.notifiers = new ConcurrentHashMap<>();
    notifiers.forEach(n -> this.notifiers.put(n.scheme(), n));
    this.engine = engine;
  }

  /**
   * Checks the rules; {@code invalid} are the names of rules that do not parse now (an open alert
   * of one stays open until it is fixed). Returns how many alerts are open afterwards.
   */
  public int evaluate(Collection<AlertRule> rules, Set<String> invalid, Instant now) {
    Map<String, Alert> open = store.openAlerts();
    Set<String> seen = new HashSet<>();
    int opened = open.size();
    for (AlertRule rule : rules) {
      if (!rule.enabled()) {
        continue;
      }
      seen.add(rule.name());
      Check check;
      try {
        check = rule.condition().check(facts, now);
        problems.remove(rule.name());
      } catch (RuntimeException e) {
        String problem = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!problem.equals(problems.put(rule.name(), problem))) {
          LOG.log(Level.WARNING, "Alert rule engine/alerts/" + rule.name() + " could not be checked; its alert stays as it is: " + problem, e);
        }
        continue;
      }
      Alert alert = open.get(rule.name());
      try {
        if (check instanceof Firing) {
          Instant since = holdingSince.computeIfAbsent(rule.name(), r -> now);
          if (alert == null && !since.plus(rule.pending()).isAfter(now)) {
            store.open(rule, check.value(), check.detail(), now);
            opened++;
            LOG.warning(() -> "Alert " + rule.name() + " opened: " + check.detail());
          } else if (alert != null && (alert.getValue() != check.value() || !check.detail().equals(alert.getDetail()))) {
            store.checked(alert.getId(), check.value(), check.detail(), now);
          }
        } else if (check instanceof Clear) {
          holdingSince.remove(rule.name());
          if (alert != null) {
            store.resolve(alert.getId(), check.value(), check.detail(), now);
            opened--;
            LOG.info(() -> "Alert " + rule.name() + " resolved: " + check.detail());
          }
        }
      } catch (RuntimeException e) {
        // another instance opened or resolved it first: the next round sees its result
        LOG.log(Level.FINE, "Alert " + rule.name() + " changed elsewhere", e);
      }
    }
    for (Alert alert : open.values()) {
      if (!seen.contains(alert.getRule()) && !invalid.contains(alert.getRule())) {
        holdingSince.remove(alert.getRule());
        try {
          store.resolve(alert.getId(), alert.getValue(), "rule engine/alerts/" + alert.getRule() + " was deleted or disabled", now);
          opened--;
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "Alert " + alert.getRule() + " changed elsewhere", e);
        }
      }
    }
    holdingSince.keySet().retainAll(seen);
    return Math.max(opened, 0);
  }

  /** Sends the notifications due; a failure is logged and tried again later. */
  public void sendNotifications(Instant now) {
    List<AlertNotice> due = store.due(now, 100);
    for (AlertNotice notice : due) {
      if (!store.claim(notice.getId(), now.plus(CLAIM))) {
        continue;
      }
      Alert alert = store.find(notice.getAlertId()).orElse(null);
      if (alert == null) {
        store.failed(notice.getId(), "alert " + notice.getAlertId() + " no longer exists", now, true);
        continue;
      }
      try {
        NotifyTarget target = notice.target();
        AlertNotifier notifier = notifiers.get(target.scheme());
        if (notifier == null) {
          throw new IllegalStateException("no notifier for targets of kind " + target.scheme());
        }
        notifier.send(target.address(), new Notification(alert.getId(), alert.getRule(), alert.getType(), notice.getEvent().label(),
            notice.getCreatedAt().toInstant(), notice.getValue(), notice.getDetail(), engine));
        store.sent(notice.getId(), now);
        LOG.info(() -> "Alert " + alert.getRule() + " (" + notice.getEvent().label() + ") notified to " + notice.getTarget());
      } catch (Exception e) {
        int attempt = notice.getAttempts() + 1;
        boolean giveUp = !notice.getCreatedAt().toInstant().plus(GIVE_UP_AFTER).isAfter(now);
        Instant next = now.plus(pause(attempt));
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.log(Level.WARNING, "Alert " + alert.getRule() + " (" + notice.getEvent().label() + ") could not be notified to " + notice.getTarget() + " (attempt "
            + attempt + (giveUp ? ", given up after a day" : ", tried again at " + next) + "): " + reason, e);
        store.failed(notice.getId(), reason, next, giveUp);
      }
    }
  }

  /** The pause after the {@code attempt}th failure: 5 s, 10 s, 20 s, ... at most 15 minutes. */
  static Duration pause(int attempt) {
    Duration pause = Duration.ofSeconds(5).multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
  }
}
