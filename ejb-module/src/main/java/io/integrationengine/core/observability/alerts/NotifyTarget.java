package io.integrationengine.core.observability.alerts;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an alert's notifications go: {@code mail:<address>} or {@code webhook:<http(s) url>}, as
 * written in a rule's {@code notify} list.
 */
public record NotifyTarget(String scheme, String address) {

  public static final String MAIL = "mail";
  public static final String WEBHOOK = "webhook";

  public static NotifyTarget parse(String value) {
    String v = value.strip();
    int colon = v.indexOf(':');
    String scheme = colon < 0 ? "" : v.substring(0, colon).strip();
    String address = colon < 0 ? "" : v.substring(colon + 1).strip();
    if (MAIL.equals(scheme)) {
      if (!address.matches("[^@\\s,]+@[^@\\s,]+")) {
        throw new IllegalArgumentException("notify: '" + v + "' is not mail:<address> with an e-mail address");
      }
    } else if (WEBHOOK.equals(scheme)) {
      URI uri;
      try {
        uri = URI.create(address);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("notify: '" + v + "' is not webhook:<url>: " + e.getMessage());
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("notify: '" + v + "' is not webhook:<http or https url>");
      }
    } else {
      throw new IllegalArgumentException("notify: '" + v + "' must start with mail: or webhook:");
    }
    return new NotifyTarget(scheme, address);
  }

  /** A comma-separated list; blank gives none. */
  public static List<NotifyTarget> parseList(String value) {
    List<NotifyTarget> targets = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          targets.add(parse(part));
        }
      }
    }
    return List.copyOf(targets);
  }

  @Override
  public String toString() {
    return scheme + ":" + address;
  }
}
