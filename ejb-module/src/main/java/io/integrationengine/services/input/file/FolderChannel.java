package io.integrationengine.services.input.file;

import io.integrationengine.services.input.file.csv.CsvMapping;
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
 *   <li>{@code format}: {@code hl7} (default) or {@code csv}
 *   <li>{@code mapping}: for {@code csv}, the mapping file, absolute or relative to the config
 *       folder ({@code engine.config.dir}): how each row becomes an HL7v2 message or FHIR resources
 * </ul>
 *
 * @param mapping the CSV mapping, read and checked with the definition; null for HL7v2 files
 */
public record FolderChannel(String id, Path directory, Duration stableTime, String charset, int chunkSize, boolean enabled, Format format, CsvMapping mapping) {

  public static final String TYPE = "folder";

  /** What the channel's files hold. */
  public enum Format {
    /** HL7v2 messages, one or many per file, batch envelopes allowed. */
    HL7,
    /** CSV rows, each made a message by the channel's mapping. */
    CSV;

    static Format of(String id, String value) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(value.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException("folder channel '" + id + "': format must be hl7 or csv, not '" + value + "'");
    }
  }

  /** An HL7v2 folder channel. */
  public FolderChannel(String id, Path directory, Duration stableTime, String charset, int chunkSize, boolean enabled) {
    this(id, directory, stableTime, charset, chunkSize, enabled, Format.HL7, null);
  }

  /** True when the definition is a folder channel (other channels, e.g. MLLP listeners' settings, have no type). */
  public static boolean isFolder(Properties properties) {
    return TYPE.equalsIgnoreCase(properties.getProperty("type", "").strip());
  }

  /** Parses and checks an HL7v2 definition; a wrong value is an error naming the key. */
  public static FolderChannel from(String id, Properties p, Path inDirectory) {
    return from(id, p, inDirectory, Path.of(System.getProperty("user.dir")));
  }

  /**
   * Parses and checks a definition, the CSV mapping it names included (relative to {@code
   * configDirectory}); a wrong value is an error naming the key, a wrong mapping one naming the
   * mapping's line.
   */
  public static FolderChannel from(String id, Properties p, Path inDirectory, Path configDirectory) {
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
    Format format = Format.of(id, p.getProperty("format", "hl7"));
    String mappingFile = p.getProperty("mapping", "").strip();
    CsvMapping mapping = null;
    if (format == Format.CSV) {
      if (mappingFile.isEmpty()) {
        throw new IllegalArgumentException("folder channel '" + id + "': format csv needs a mapping (a file in the config folder, e.g. csv/lab-results.properties)");
      }
      try {
        mapping = CsvMapping.read(configDirectory.resolve(mappingFile).normalize());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("folder channel '" + id + "': " + e.getMessage(), e);
      }
    } else if (!mappingFile.isEmpty()) {
      throw new IllegalArgumentException("folder channel '" + id + "': a mapping is for format csv only");
    }
    return new FolderChannel(id, inDirectory.resolve(directory).normalize(), Duration.ofMillis(stable), charset, chunk, enabled.equals("true"), format, mapping);
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
