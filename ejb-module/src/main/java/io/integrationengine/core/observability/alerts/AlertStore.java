package io.integrationengine.core.observability.alerts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where alerts and the notifications owed for them are kept, so both survive a restart. Each
 * change commits on its own, before the method returns.
 */
public interface AlertStore {

  /** The open alerts, by rule name. */
  Map<String, Alert> openAlerts();

  /**
   * Opens an alert of {@code rule} and owes a notification to each of its targets. Fails (an
   * exception) when the rule has an open alert already, opened by another instance.
   */
  Alert open(AlertRule rule, double value, String detail, Instant at);

  /** Records the latest check of an open alert. */
  void checked(String alertId, double value, String detail, Instant at);

  /** Resolves an open alert and owes a notification to each target it notified when it opened. */
  void resolve(String alertId, double value, String detail, Instant at);

  /** Notifications not yet sent whose next attempt is due, oldest first. */
  List<AlertNotice> due(Instant now, int limit);

  /**
   * Takes a due notification for this instance until {@code until}; false when another instance
   * took it first (it is then not sent here).
   */
  boolean claim(String noticeId, Instant until);

  void sent(String noticeId, Instant at);

  void failed(String noticeId, String error, Instant nextAttempt, boolean giveUp);

  Optional<Alert> find(String alertId);

  /** The open alerts, newest first, then (unless {@code openOnly}) the latest resolved; at most {@code limit}. */
  List<Alert> latest(boolean openOnly, int limit);

  /** The notifications of these alerts, by alert id, oldest first. */
  Map<String, List<AlertNotice>> notices(Collection<String> alertIds);
}
