package io.integrationengine.services.input.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * A folder channel: the JNDI custom resource {@code engine/channels/<id>} with {@code type=folder}.
 * Files dropped in its folder are split into messages by a batch job each (see {@code docs/files.md}).
 *
 * <ul>
 *   <li>{@code directory}: the folder watched, absolute or relative to {@code <engine.files.dir>/in}
 *       (default: the channel's id)
 *   <li>{@code stableMillis}: how long a file's size and modification time must stay unchanged
 *       before it counts as complete (default 2000); a file renamed into the folder counts at once
 *   <li>{@code charset}: how to read records that do not declare one in MSH-18; {@code auto}
 *       (default) detects it as the MLLP listeners do
 *   <li>{@code chunkSize}: records stored per transaction (default 1000)
 *   <li>{@code enabled}: {@code true} (default) or {@code false}
 *   <li>{@code profiles}: HL7v2 conformance profiles, as for any channel
 * </ul>
 */
public record FolderChannel(String id, Path directory, Duration stableTime, String charset, int chunkSize, boolean enabled) {

  public static final String TYPE = "folder";

  /** True when the definition is a folder channel (other channels, e.g. MLLP listeners' settings, have no type). */
  public static boolean isFolder(Properties properties) {
    return TYPE.equalsIgnoreCase(properties.getProperty("type", "").strip());
  }

  /** Parses and checks a definition; a wrong value is an error naming the key. */
  public static FolderChannel from(String id, Properties p, Path inDirectory) {
    String directory = p.getProperty("directory", id).strip();
    if (directory.isEmpty()) {
      throw new IllegalArgumentException("folder channel '" + id + "': directory is empty");
    }
    long stable = number(id, p, "stableMillis", 2000);
    int chunk = (int) number(id, p, "chunkSize", 1000);
    if (chunk < 1 || chunk > 10_000) {
      throw new IllegalArgumentException("folder channel '" + id + "': chunkSize must be 1..10000, not " + chunk);
    }
    String charset = p.getProperty("charset", "auto").strip();
    if (!"auto".equalsIgnoreCase(charset)) {
      try {
        java.nio.charset.Charset.forName(charset);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("folder channel '" + id + "': unknown charset '" + charset + "'");
      }
    }
    String enabled = p.getProperty("enabled", "true").strip().toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException("folder channel '" + id + "': enabled must be true or false, not '" + enabled + "'");
    }
    return new FolderChannel(id, inDirectory.resolve(directory).normalize(), Duration.ofMillis(stable), charset, chunk, enabled.equals("true"));
  }

  private static long number(String id, Properties p, String key, long fallback) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("folder channel '" + id + "': " + key + " must be a whole number >= 0, not '" + value + "'");
    }
  }

  /** How the channel is shown on stored messages: {@code file:<id>}. */
  public String label() {
    return "file:" + id;
  }
}
