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
 * @param outputDirectory base folder for file destinations whose directory is relative
 * @param instanceId name of this server instance; keeps its in-flight delivery tasks apart
 * @param duplicateWindow how long a sender's control id is remembered ({@code engine.dedup.windowSeconds}, 0 = off)
 * @param routingRecoveryAfter how long a message may wait for routing before it is queued again
 *     ({@code engine.routing.recoverAfterSeconds})
 */
public record EngineSettings(String redisAddress, Path outputDirectory, String instanceId, Duration duplicateWindow, Duration routingRecoveryAfter) {

  public static EngineSettings load() {
    Config config = ConfigProvider.getConfig(EngineSettings.class.getClassLoader());
    return new EngineSettings(
        config.getOptionalValue("engine.redis.address", String.class).orElse("redis://127.0.0.1:6379"),
        Path.of(config.getOptionalValue("engine.out.dir", String.class).orElse(System.getProperty("user.dir") + "/out")),
        config.getOptionalValue("engine.instance.id", String.class).orElse("local"),
        Duration.ofSeconds(config.getOptionalValue("engine.dedup.windowSeconds", Long.class).orElse(600L)),
        Duration.ofSeconds(config.getOptionalValue("engine.routing.recoverAfterSeconds", Long.class).orElse(60L)));
  }
}
