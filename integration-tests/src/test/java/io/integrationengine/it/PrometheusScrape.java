package io.integrationengine.it;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of the engine's {@code /metrics}, read as Prometheus reads the text format: series
 * by name and labels. Payara's {@code mp_scope} label is kept, so a test can check it is there.
 */
final class PrometheusScrape {

  private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  record Series(String name, Map<String, String> labels, double value) {}

  private final Map<String, java.util.List<Series>> byName = new HashMap<>();
  private final String text;

  private PrometheusScrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SERIES.matcher(line.trim());
      if (!m.matches()) {
        throw new IllegalStateException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      byName.computeIfAbsent(m.group(1), k -> new java.util.ArrayList<>()).add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
  }

  static PrometheusScrape of(EngineUnderTest engine) {
    return new PrometheusScrape(engine.get("/metrics"));
  }

  String text() {
    return text;
  }

  java.util.List<Series> series(String name) {
    return byName.getOrDefault(name, java.util.List.of());
  }

  /**
   * The sum of the series of {@code name} whose labels include the given ones (name, value pairs);
   * 0 when there is none (a counter not registered yet has counted nothing).
   */
  double value(String name, String... labels) {
    double sum = 0;
    for (Series s : series(name)) {
      boolean matches = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        matches &= labels[i + 1].equals(s.labels().get(labels[i]));
      }
      if (matches) {
        sum += s.value();
      }
    }
    return sum;
  }
}
