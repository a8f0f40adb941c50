package io.integrationengine.conversion.fhir.datatype;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Coding;

/**
 * The HL7 v2-to-FHIR IG's vocabulary ConceptMaps (v2 table code to FHIR code), read from the IG's
 * own CSV sheets shipped as resources, so a correction in the IG is a file copy, not a code edit. A
 * v2 code the sheet leaves unmapped yields nothing; callers then keep the v2 code as text.
 */
public final class ConceptMaps {

  private static final String FOLDER = "/io/integrationengine/conversion/fhir/conceptmaps/";
  private static final Map<String, Map<String, Coding>> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, String>> REVERSE = new ConcurrentHashMap<>();

  private ConceptMaps() {}

  /** Maps a v2 code through the named sheet (file name without {@code .csv}). */
  public static Optional<Coding> map(String sheet, String v2Code) {
    if (v2Code == null) {
      return Optional.empty();
    }
    Map<String, Coding> map = CACHE.computeIfAbsent(sheet, ConceptMaps::load);
    Coding coding = map.get(v2Code.strip());
    if (coding == null) {
      coding = map.get(v2Code.strip().toUpperCase());
    }
    return Optional.ofNullable(coding).map(Coding::copy);
  }

  /** The FHIR code only, for elements typed {@code code}. */
  public static Optional<String> code(String sheet, String v2Code) {
    return map(sheet, v2Code).map(Coding::getCode);
  }

  /**
   * The v2 code a FHIR code comes from through the named sheet: the first row (in the IG's order)
   * that maps to it, so that FHIR to v2 inverts v2 to FHIR wherever the sheet is one to one.
   */
  public static Optional<String> v2Code(String sheet, String fhirCode) {
    if (fhirCode == null) {
      return Optional.empty();
    }
    Map<String, String> reverse =
        REVERSE.computeIfAbsent(
            sheet,
            name -> {
              Map<String, String> byCode = new HashMap<>();
              rows(name).forEach(row -> byCode.putIfAbsent(row.fhir().getCode(), row.v2()));
              return byCode;
            });
    return Optional.ofNullable(reverse.get(fhirCode.strip()));
  }

  private record Row(String v2, Coding fhir) {}

  private static Map<String, Coding> load(String sheet) {
    Map<String, Coding> map = new HashMap<>();
    rows(sheet).forEach(row -> map.putIfAbsent(row.v2(), row.fhir()));
    return map;
  }

  private static List<Row> rows(String sheet) {
    String resource = FOLDER + sheet + ".csv";
    try (InputStream in = ConceptMaps.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Concept map resource missing: " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Row> mapped = new ArrayList<>();
      List<List<String>> rows = Csv.read(reader);
      // Two header rows (group titles, then column titles) precede the data.
      for (List<String> row : rows.subList(Math.min(2, rows.size()), rows.size())) {
        String v2 = cell(row, 0);
        String code = cell(row, 6);
        String system = cell(row, 9);
        if (v2.isEmpty() || code.isEmpty() || system.isEmpty()) {
          continue;
        }
        mapped.add(new Row(v2, new Coding(system, code, emptyToNull(cell(row, 8)))));
      }
      return mapped;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  private static String cell(List<String> row, int index) {
    return index < row.size() ? row.get(index).strip() : "";
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /** Minimal RFC 4180 reader: the sheets quote cells holding commas and line breaks. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> read(BufferedReader reader) throws IOException {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      int c;
      int previous = -1;
      while ((c = reader.read()) != -1) {
        char ch = (char) c;
        if (ch == '\uFEFF' && rows.isEmpty() && row.isEmpty() && cell.length() == 0) {
          continue;
        }
        if (quoted) {
          if (ch == '"') {
            reader.mark(1);
            int next = reader.read();
            if (next == '"') {
              cell.append('"');
            } else {
              quoted = false;
              if (next != -1) {
                reader.reset();
              }
            }
          } else {
            cell.append(ch);
          }
        } else if (ch == '"') {
          quoted = true;
        } else if (ch == ',') {
          row.add(cell.toString());
          cell.setLength(0);
        } else if (ch == '\n' || ch == '\r') {
          if (!(ch == '\n' && previous == '\r')) {
            row.add(cell.toString());
            cell.setLength(0);
            rows.add(row);
            row = new ArrayList<>();
          }
        } else {
          cell.append(ch);
        }
        previous = ch;
      }
      if (cell.length() > 0 || !row.isEmpty()) {
        row.add(cell.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}
