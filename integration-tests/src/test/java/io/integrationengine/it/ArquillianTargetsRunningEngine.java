package io.integrationengine.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Points Arquillian's remote Payara connector at the domain the build started, whose admin port is
 * chosen at start-up, and whose admin password is generated then: arquillian.xml reads
 * {@code engine.adminPort} and {@code engine.adminPassword}, set here before any test runs.
 */
public class ArquillianTargetsRunningEngine implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String stateFile = System.getProperty("engine.state");
    if (stateFile == null || !Files.exists(Path.of(stateFile))) {
      return;
    }
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(stateFile))) {
      state.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("engine.adminPort", state.getProperty("ENGINE_ADMIN_PORT"));
    try {
      String password = Files.readAllLines(Path.of(state.getProperty("ENGINE_ADMIN_PASSWORD_FILE"))).get(0).replaceFirst("^AS_ADMIN_PASSWORD=", "");
      System.setProperty("engine.adminPassword", password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
