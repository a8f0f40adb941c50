package io.integrationengine.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The third-party samples under {@code testdata/} (provenance in testdata/SOURCES.md). */
final class TestData {

  private TestData() {}

  static byte[] bytes(String path) {
    try (InputStream in = TestData.class.getResourceAsStream("/testdata/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test data " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sample as ER7 text with CR separators and no BOM, as a sender would put it on the wire. */
  static String message(String path) {
    String text = new String(bytes(path), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return text.replace("\r\n", "\r").replace('\n', '\r').strip() + "\r";
  }
}
