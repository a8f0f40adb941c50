package io.integrationengine.core.config;

import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The engine's instance-wide settings, read once from MicroProfile Config (system properties set by
 * the domain setup, or environment variables such as {@code ENGINE_REDIS_ADDRESS}).
 *
 * @param redisAddress Redis URL, e.g. {@code redis://127.0.0.1:6379}
 * @param redisPassword Redis's password, or null: the password alias {@code engine-redis-password}
 *     (Payara offers aliases as config properties), else {@code engine.redis.password}
 * @param outputDirectory base folder for file destinations whose directory is relative
 * @param instanceId name of this server instance; keeps its in-flight delivery tasks apart. Unique
 *     and stable by default: host name, instance name and domain folder, so two instances never
 *     take each other's tasks and a restarted instance finds its own
 * @param duplicateWindow how long a sender's control id is remembered ({@code engine.dedup.windowSeconds}, 0 = off)
 * @param routingRecoveryAfter how long a message may wait for routing before it is queued again
 *     ({@code engine.routing.recoverAfterSeconds}); also how long a planned delivery may wait to reach its queue
 * @param configDirectory where relative paths in definitions (conformance profiles) are resolved ({@code engine.config.dir})
 */
public record EngineSettings(String redisAddress, String redisPassword, Path outputDirectory, String instanceId, Duration duplicateWindow, Duration routingRecoveryAfter, Path configDirectory) {

  public static EngineSettings load() {
    Config config = ConfigProvider.getConfig(EngineSettings.class.getClassLoader());
    return new EngineSettings(
        config.getOptionalValue("engine.redis.address", String.class).orElse("redis://127.0.0.1:6379"),
        config.getOptionalValue("engine-redis-password", String.class).or(() -> config.getOptionalValue("engine.redis.password", String.class)).orElse(null),
        Path.of(config.getOptionalValue("engine.out.dir", String.class).orElse(System.getProperty("user.dir") + "/out")),
        config.getOptionalValue("engine.instance.id", String.class).orElseGet(EngineSettings::defaultInstanceId),
        Duration.ofSeconds(config.getOptionalValue("engine.dedup.windowSeconds", Long.class).orElse(600L)),
        Duration.ofSeconds(config.getOptionalValue("engine.routing.recoverAfterSeconds", Long.class).orElse(60L)),
        Path.of(config.getOptionalValue("engine.config.dir", String.class).orElse(System.getProperty("user.dir"))));
  }

  @Override
  public String toString() {
    // never the password
    return "EngineSettings[redis=" + redisAddress + ", instance=" + instanceId + ", out=" + outputDirectory + "]";
  }

  /** {@code host:instance:hash of the instance folder}: the same after a restart, different for every other instance. */
  static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    String instance = System.getProperty("com.sun.aas.instanceName", "server");
    String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("user.dir"));
    return host + ":" + instance + ":" + Integer.toHexString(root.hashCode());
  }
}
