package io.integrationengine.services.input.file.sftp;

import io.integrationengine.core.sftp.SftpEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * An SFTP channel: the JNDI custom resource {@code engine/channels/<id>} with {@code type=sftp}. It
 * polls a folder on an SFTP server; each complete file is downloaded and then read by the same
 * {@code file-intake} job as a folder channel's files (its {@code charset}, {@code chunkSize} and
 * {@code profiles} mean the same). See {@code docs/files.md}.
 *
 * <ul>
 *   <li>{@code host}, {@code port}, {@code user}, {@code passwordAlias} or {@code privateKey},
 *       {@code knownHosts} or {@code hostKeyFingerprint}, {@code timeoutMillis}: see {@link SftpEndpoint}
 *   <li>{@code directory}: the remote folder polled, absolute or relative to the login folder (default {@code .})
 *   <li>{@code pollMillis}: how often it is listed (default 5000); a file is complete when its size and
 *       modification time are the same at two polls in a row
 *   <li>{@code afterDownload}: {@code archive} (default: the remote file is moved to
 *       {@code archiveDirectory}) or {@code delete}
 *   <li>{@code archiveDirectory}: relative to {@code directory}, or absolute (default {@code archive})
 *   <li>{@code enabled}: {@code true} (default) or {@code false}
 * </ul>
 */
public record SftpChannel(String id, SftpEndpoint endpoint, String directory, Duration pollInterval, AfterDownload afterDownload, String archiveDirectory,
    boolean enabled) {

  public static final String TYPE = "sftp";

  /** What happens to a remote file once its copy is safely in the engine's work folder. */
  public enum AfterDownload {
    ARCHIVE, DELETE
  }

  /** True when the definition is an SFTP channel. */
  public static boolean isSftp(Properties properties) {
    return TYPE.equalsIgnoreCase(properties.getProperty("type", "").strip());
  }

  /**
   * Parses and checks a definition; a wrong value is an error naming the key.
   *
   * @param configDirectory where relative key and known_hosts paths are resolved
   */
  public static SftpChannel from(String id, Properties p, Path configDirectory) {
    String what = "sftp channel '" + id + "'";
    Map<String, String> settings = new TreeMap<>();
    p.stringPropertyNames().forEach(key -> settings.put(key, p.getProperty(key)));
    SftpEndpoint endpoint = SftpEndpoint.of(what, settings, configDirectory);
    String directory = SftpEndpoint.optional(settings, "directory");
    directory = directory == null ? "." : trimSlash(directory);
    long poll = SftpEndpoint.number(what, settings, "pollMillis", 5000);
    if (poll < 100) {
      throw new IllegalArgumentException(what + ": pollMillis must be at least 100, not " + poll);
    }
    String after = settings.getOrDefault("afterDownload", "archive").strip();
    AfterDownload afterDownload;
    try {
      afterDownload = AfterDownload.valueOf(after.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": afterDownload must be archive or delete, not '" + after + "'");
    }
    String archive = SftpEndpoint.optional(settings, "archiveDirectory");
    archive = archive == null ? "archive" : trimSlash(archive);
    if (afterDownload == AfterDownload.ARCHIVE && (archive.equals(".") || archive.equals(directory))) {
      throw new IllegalArgumentException(what + ": archiveDirectory must be another folder than the one polled");
    }
    String enabled = settings.getOrDefault("enabled", "true").strip().toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(what + ": enabled must be true or false, not '" + enabled + "'");
    }
    return new SftpChannel(id, endpoint, directory, Duration.ofMillis(poll), afterDownload,
        archive.startsWith("/") ? archive : path(directory, archive), enabled.equals("true"));
  }

  /** The remote path of a file in the polled folder. */
  public String remotePath(String name) {
    return path(directory, name);
  }

  /** The remote path a taken file is archived to. */
  public String archivePath(String name) {
    return path(archiveDirectory, name);
  }

  static String path(String directory, String name) {
    if (directory.equals(".")) {
      return name;
    }
    return directory.equals("/") ? "/" + name : directory + "/" + name;
  }

  private static String trimSlash(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
