package io.integrationengine.mllp.inbound;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${name}} and {@code ${name:default}} against system properties, then environment
 * variables ({@code engine.mllp.port} -> {@code ENGINE_MLLP_PORT}). Placeholders nest, the inner
 * first: {@code ${a:${b}}}.
 */
final class PropertyPlaceholders {

  private static final Pattern INNERMOST = Pattern.compile("\\$\\{([^{}:]+)(?::([^{}]*))?}");

  private PropertyPlaceholders() {}

  static String resolve(String value) {
    if (value == null) {
      return null;
    }
    String current = value;
    for (int depth = 0; depth < 10; depth++) {
      Matcher m = INNERMOST.matcher(current);
      if (!m.find()) {
        return current;
      }
      m.reset();
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
      current = out.toString();
    }
    return current;
  }
}
