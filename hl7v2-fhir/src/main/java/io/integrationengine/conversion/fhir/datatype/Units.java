package io.integrationengine.conversion.fhir.datatype;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * v2 unit text to UCUM codes, from the curated {@code ucum-units.csv} resource. Only units known to
 * be valid UCUM get the UCUM system: a FHIR server rejects an invalid UCUM code, while a unit kept
 * as plain text is always accepted.
 */
public final class Units {

  public static final String UCUM = "http://unitsofmeasure.org";
  private static final Map<String, String> TABLE = load();

  private Units() {}

  public static Optional<String> ucum(String unit) {
    if (unit == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(TABLE.get(unit.strip()));
  }

  private static Map<String, String> load() {
    String resource = "/io/integrationengine/conversion/fhir/ucum-units.csv";
    try (InputStream in = Units.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource);
      }
      Map<String, String> map = new HashMap<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean header = true;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        int comma = line.lastIndexOf(',');
        map.put(line.substring(0, comma), line.substring(comma + 1));
      }
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
