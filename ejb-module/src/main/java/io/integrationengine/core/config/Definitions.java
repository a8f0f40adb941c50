package io.integrationengine.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * One kind of definition, parsed and cached for a few seconds so console edits apply without a
 * redeploy. A definition that does not parse is kept out, with its reason, and logged once each
 * time its reason changes; the others keep working.
 *
 * @param <T> the parsed definition
 */
public final class Definitions<T> {

  private static final Logger LOG = Logger.getLogger(Definitions.class.getName());
  public static final long CACHE_MILLIS = 5_000;

  /** What was read: the valid definitions and, for each invalid one, why. */
  public record Snapshot<T>(long readAt, Map<String, T> valid, Map<String, String> invalid) {}

  private final DefinitionSource source;
  private final String kind;
  private final BiFunction<String, Properties, T> parse;
  private final LongSupplier clock;
  private volatile Snapshot<T> snapshot;
  private volatile Map<String, String> reported = Map.of();

  public Definitions(DefinitionSource source, String kind, BiFunction<String, Properties, T> parse) {
    this(source, kind, parse, System::currentTimeMillis);
  }

  Definitions(DefinitionSource source, String kind, BiFunction<String, Properties, T> parse, LongSupplier clock) {
    this.source = source;
    this.kind = kind;
    this.parse = parse;
    this.clock = clock;
  }

  public Snapshot<T> current() {
    Snapshot<T> s = snapshot;
    if (s == null || clock.getAsLong() - s.readAt() > CACHE_MILLIS) {
      synchronized (this) {
        s = snapshot;
        if (s == null || clock.getAsLong() - s.readAt() > CACHE_MILLIS) {
          s = read();
          snapshot = s;
        }
      }
    }
    return s;
  }

  private Snapshot<T> read() {
    Map<String, String> invalid = new LinkedHashMap<>();
    Map<String, T> valid = new LinkedHashMap<>();
    source.definitions(kind, invalid).forEach((name, properties) -> {
      try {
        valid.put(name, parse.apply(name, properties));
      } catch (RuntimeException e) {
        invalid.put(name, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    });
    if (!invalid.equals(reported)) {
      invalid.forEach((name, reason) -> {
        if (!reason.equals(reported.get(name))) {
          LOG.warning(() -> "Skipping invalid definition engine/" + kind + "/" + name + ": " + reason);
        }
      });
      reported = Map.copyOf(invalid);
    }
    return new Snapshot<>(clock.getAsLong(), java.util.Collections.unmodifiableMap(valid), java.util.Collections.unmodifiableMap(invalid));
  }
}
