package io.integrationengine.core.config;

import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The engine's instance-wide settings, read once from MicroProfile Config (system properties set by
 * the domain setup, or environment variables such as {@code ENGINE_REDIS_ADDRESS}).
 *
 * @param redisAddress Redis URL, e.g. {@code redis://127.0.0.1:6379}
 * @param outputDirectory base folder for file destinations whose directory is relative
 * @param instanceId name of this server instance; keeps its in-flight delivery tasks apart
 */
public record EngineSettings(String redisAddress, Path outputDirectory, String instanceId) {

  public static EngineSettings load() {
    Config config = ConfigProvider.getConfig(EngineSettings.class.getClassLoader());
    return new EngineSettings(
        config.getOptionalValue("engine.redis.address", String.class).orElse("redis://127.0.0.1:6379"),
        Path.of(config.getOptionalValue("engine.out.dir", String.class).orElse(System.getProperty("user.dir") + "/out")),
        config.getOptionalValue("engine.instance.id", String.class).orElse("local"));
  }
}
