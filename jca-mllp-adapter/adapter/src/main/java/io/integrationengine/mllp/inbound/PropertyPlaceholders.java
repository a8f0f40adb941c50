package io.integrationengine.mllp.inbound;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves {@code ${name}} and {@code ${name:default}} against system properties, then environment variables. */
final class PropertyPlaceholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

  private PropertyPlaceholders() {}

  static String resolve(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String resolved = System.getProperty(name);
      if (resolved == null) {
        resolved = System.getenv(name.toUpperCase().replace('.', '_'));
      }
      if (resolved == null) {
        resolved = m.group(2);
      }
      if (resolved == null) {
        throw new IllegalArgumentException("no value for ${" + name + "}: set the system property " + name);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
