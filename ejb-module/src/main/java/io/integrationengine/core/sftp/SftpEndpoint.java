package io.integrationengine.core.sftp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where and as whom an SFTP channel or destination connects, and which host keys it trusts: read
 * and checked once from its definition. The server's key must be known: from an OpenSSH
 * {@code known_hosts} file ({@code knownHosts}) or given as fingerprints ({@code hostKeyFingerprint},
 * {@code SHA256:...} as {@code ssh-keygen -lf} prints them, comma separated); there is no "accept
 * any key" setting. Secrets are never settings: a password is the name of a Payara password alias.
 *
 * @param what how messages name the definition, e.g. {@code sftp channel 'in'}
 * @param host {@code host}
 * @param port {@code port} (default 22)
 * @param user {@code user}
 * @param passwordAlias {@code passwordAlias}: the password alias holding the password; may be null
 * @param privateKey {@code privateKey}: an OpenSSH or PEM private key file (absolute, or relative to
 *     {@code engine.config.dir}); may be null
 * @param passphraseAlias {@code privateKeyPassphraseAlias}: the alias holding the key's passphrase; may be null
 * @param knownHosts {@code knownHosts}: a known_hosts file (absolute, or relative to {@code engine.config.dir}); may be null
 * @param fingerprints {@code hostKeyFingerprint}: the trusted keys' fingerprints
 * @param timeout {@code timeoutMillis} (default 10000): connecting, authenticating, each SFTP request
 */
public record SftpEndpoint(String what, String host, int port, String user, String passwordAlias, Path privateKey, String passphraseAlias, Path knownHosts,
    List<String> fingerprints, Duration timeout) {

  /**
   * The endpoint of a definition's settings; a missing or wrong setting is an error naming it.
   *
   * @param configDirectory where relative key and known_hosts paths are resolved
   */
  public static SftpEndpoint of(String what, Map<String, String> settings, Path configDirectory) {
    String host = required(what, settings, "host");
    int port = (int) number(what, settings, "port", 22);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + ": port must be 1..65535, not " + port);
    }
    String user = required(what, settings, "user");
    String passwordAlias = optional(settings, "passwordAlias");
    String key = optional(settings, "privateKey");
    if (passwordAlias == null && key == null) {
      throw new IllegalArgumentException(what + ": give passwordAlias (a password alias: asadmin create-password-alias) or privateKey (a key file)");
    }
    String knownHosts = optional(settings, "knownHosts");
    String fingerprint = optional(settings, "hostKeyFingerprint");
    if (knownHosts == null && fingerprint == null) {
      throw new IllegalArgumentException(what + ": the server's host key must be known: give knownHosts (a known_hosts file) or hostKeyFingerprint (SHA256:...)");
    }
    List<String> fingerprints = fingerprint == null ? List.of()
        : Arrays.stream(fingerprint.split(",")).map(String::strip).filter(f -> !f.isEmpty()).map(f -> normalized(what, f)).toList();
    long timeout = number(what, settings, "timeoutMillis", 10_000);
    if (timeout < 1) {
      throw new IllegalArgumentException(what + ": timeoutMillis must be at least 1");
    }
    return new SftpEndpoint(what, host, port, user, passwordAlias, key == null ? null : configDirectory.resolve(key).normalize(),
        optional(settings, "privateKeyPassphraseAlias"), knownHosts == null ? null : configDirectory.resolve(knownHosts).normalize(), fingerprints,
        Duration.ofMillis(timeout));
  }

  /** {@code user@host:port}, for logs and delivery records. */
  public String address() {
    return user + "@" + host + ":" + port;
  }

  /** A fingerprint as compared: {@code SHA256:} and the unpadded Base64 digest (ssh-keygen prints none, some tools pad). */
  static String normalized(String what, String fingerprint) {
    int colon = fingerprint.indexOf(':');
    if (colon < 0 || !fingerprint.substring(0, colon).equalsIgnoreCase("SHA256")) {
      throw new IllegalArgumentException(what + ": hostKeyFingerprint must be SHA256:<base64> as ssh-keygen -lf prints it, not '" + fingerprint + "'");
    }
    String digest = fingerprint.substring(colon + 1);
    while (digest.endsWith("=")) {
      digest = digest.substring(0, digest.length() - 1);
    }
    return "SHA256:" + digest;
  }

  /** A setting that must be there, stripped. */
  public static String required(String what, Map<String, String> settings, String key) {
    String value = optional(settings, key);
    if (value == null) {
      throw new IllegalArgumentException(what + " has no '" + key + "'");
    }
    return value;
  }

  /** A setting, stripped; null when missing or blank. */
  public static String optional(Map<String, String> settings, String key) {
    String value = settings.get(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A whole-number setting, or {@code fallback} when missing. */
  public static long number(String what, Map<String, String> settings, String key, long fallback) {
    String value = optional(settings, key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": " + key + " must be a whole number, not '" + value + "'");
    }
  }
}
