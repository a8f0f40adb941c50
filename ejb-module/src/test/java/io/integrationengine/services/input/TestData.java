package io.integrationengine.services.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the third-party samples under {@code testdata/} (see testdata/SOURCES.md). */
public final class TestData {

  private TestData() {}

  public static String text(String path) {
    try (InputStream in = TestData.class.getResourceAsStream("/testdata/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test data " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
