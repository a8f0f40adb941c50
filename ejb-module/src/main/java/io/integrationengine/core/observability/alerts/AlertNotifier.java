package io.integrationengine.core.observability.alerts;

import java.time.Instant;

/**
 * Sends alert notifications to targets of one scheme ({@code mail}, {@code webhook}). A new kind
 * of target is a new implementation (a CDI bean), found by its scheme.
 */
public interface AlertNotifier {

  /** What one notification says: the webhook's JSON fields, the e-mail's lines. */
  record Notification(String alert, String rule, String type, String state, Instant since, double value, String detail, String engine) {}

  String scheme();

  /** Sends, or throws with a reason an operator can act on; the notification is then tried again later. */
  void send(String address, Notification notification) throws Exception;
}
