package io.integrationengine.services.input.file;

import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where file intake keeps files, under {@code engine.files.dir} (./engine sets it to its
 * {@code var/}): {@code in/<folder>} where they are dropped, {@code work/<channel>} while their job
 * runs (the move there is what claims a file, so no file is taken twice, even across a restart),
 * then {@code archive/<channel>} or, with a report beside it, {@code error/<channel>}.
 */
public record FileFolders(Path in, Path work, Path archive, Path error) {

  public static FileFolders load() {
    Config config = ConfigProvider.getConfig(FileFolders.class.getClassLoader());
    Path base = Path.of(config.getOptionalValue("engine.files.dir", String.class).orElse(System.getProperty("user.dir")));
    return under(base);
  }

  public static FileFolders under(Path base) {
    return new FileFolders(base.resolve("in"), base.resolve("work"), base.resolve("archive"), base.resolve("error"));
  }
}
