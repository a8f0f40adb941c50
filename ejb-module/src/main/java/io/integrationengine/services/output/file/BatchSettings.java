package io.integrationengine.services.output.file;

import io.integrationengine.services.output.DestinationDefinition;
import java.time.Duration;

/**
 * A file destination's batch settings: {@code batchSize} (messages per batch file; default 10,000
 * when only a window is set) and {@code batchWindowSeconds} (a batch is closed this long after its
 * first message at the latest; default 60 when only a size is set).
 */
public record BatchSettings(int size, Duration window) {

  /** The destination's batch settings, or null when it writes one file per message. */
  public static BatchSettings of(DestinationDefinition destination) {
    String size = destination.setting("batchSize");
    String window = destination.setting("batchWindowSeconds");
    if (blank(size) && blank(window)) {
      return null;
    }
    return new BatchSettings(blank(size) ? 10_000 : positive("batchSize", size), Duration.ofSeconds(blank(window) ? 60 : positive("batchWindowSeconds", window)));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static int positive(String key, String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(key + " must be a positive whole number, not '" + value + "'");
  }
}
