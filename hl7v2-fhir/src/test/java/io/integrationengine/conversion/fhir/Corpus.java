package io.integrationengine.conversion.fhir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The HL7v2 sample messages under src/test/resources/hl7v2, split into single messages. */
final class Corpus {

  record Sample(String name, String text) {}

  private Corpus() {}

  static Path root() {
    try {
      return Path.of(Corpus.class.getResource("/hl7v2").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Sample> all() {
    return under(root());
  }

  static List<Sample> under(Path folder) {
    List<Sample> samples = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = root().relativize(file).toString();
        if (name.endsWith(".md")) {
          continue;
        }
        List<String> messages = split(Files.readString(file, StandardCharsets.UTF_8));
        for (int i = 0; i < messages.size(); i++) {
          samples.add(
              new Sample(messages.size() == 1 ? name : name + "#" + (i + 1), messages.get(i)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }

  /** Splits a file at each MSH and drops batch envelope segments. */
  static List<String> split(String text) {
    List<String> messages = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.replace("\uFEFF", "").split("\r\n|\r|\n")) {
      String segment = line.strip();
      if (segment.startsWith("FHS")
          || segment.startsWith("BHS")
          || segment.startsWith("BTS")
          || segment.startsWith("FTS")) {
        continue;
      }
      if (segment.startsWith("MSH")) {
        if (current != null) {
          messages.add(current.toString());
        }
        current = new StringBuilder();
      }
      if (current != null && !segment.isEmpty()) {
        current.append(line).append('\r');
      }
    }
    if (current != null) {
      messages.add(current.toString());
    }
    return messages;
  }
}
