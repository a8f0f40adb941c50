package io.integrationengine.services.input.file.csv;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.csv.CSVFormat;

/**
 * A CSV mapping, declared in a {@code .properties} file under {@code config/} (e.g.
 * {@code config/csv/lab-results-oru.properties}) and named by a folder channel's {@code mapping}:
 * what the file looks like (delimiter, quote, header, charset), what each data row becomes (an
 * HL7v2 message of a type and version, or FHIR R4 resources, alone or in a Bundle), fixed values
 * set in every message, and per column its targets, type, date formats and whether it is
 * required. Every key is checked when the channel is read; a typo is an error naming the key.
 * {@code docs/files.md} (CSV files) describes each key.
 *
 * @param name the mapping file's name, as reports mention it
 * @param delimiter the character between values
 * @param quote the character around values that hold the delimiter or line breaks; null: none
 * @param header true when the first non-blank line names the columns (then columns are mapped by
 *     name, in any order); false when columns are mapped by their number, from 1
 * @param columnCount without a header: how many values each row has
 * @param zone the time zone of dates and times that carry no offset
 * @param messageType for {@code hl7v2}: {@code ORU^R01}, {@code ADT^A04}, ...
 * @param version for {@code hl7v2}: {@code 2.5.1}, ...
 * @param resources for {@code fhir}: the resource types each row makes, in Bundle order
 * @param bundle for {@code fhir}: {@code transaction}, {@code collection}, or {@code none} (a single resource)
 * @param fixed values set in every message, by target path, before the columns' values
 */
public record CsvMapping(String name, char delimiter, Character quote, boolean header, int columnCount, Charset charset, ZoneId zone, CsvOutput output,
    String messageType, String version, List<String> resources, String bundle, Map<String, String> fixed, List<CsvColumn> columns) {

  private static final Set<String> KEYS = Set.of("delimiter", "quote", "header", "columns", "charset", "timeZone", "output", "messageType", "version", "resources", "bundle");
  private static final List<String> COLUMN_OPTIONS = List.of("type", "formats", "required", "pattern", "codes");
  private static final Set<String> BUNDLES = Set.of("transaction", "collection", "none");

  /** What each row becomes. */
  public enum CsvOutput {
    HL7V2,
    FHIR
  }

  public CsvMapping {
    resources = List.copyOf(resources);
    fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    columns = List.copyOf(columns);
  }

  /**
   * Reads and checks a mapping file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong in it
   */
  public static CsvMapping read(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("CSV mapping " + file + " cannot be read: " + e, e);
    }
    try {
      return parse(file.getFileName().toString(), p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CSV mapping " + file + ": " + e.getMessage(), e);
    }
  }

  /** Checks a mapping's keys and values. */
  public static CsvMapping parse(String name, Properties p) {
    char delimiter = character("delimiter", p.getProperty("delimiter", ","));
    String quoteValue = p.getProperty("quote", "\"");
    Character quote = quoteValue.strip().equalsIgnoreCase("none") ? null : character("quote", quoteValue);
    if (quote != null && quote == delimiter) {
      throw new IllegalArgumentException("quote and delimiter are the same character");
    }
    boolean header = bool("header", p.getProperty("header", "true"));
    int columnCount = 0;
    if (!header) {
      try {
        columnCount = Integer.parseInt(p.getProperty("columns", "").strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("without a header, 'columns' must say how many values a row has");
      }
    } else if (p.getProperty("columns") != null) {
      throw new IllegalArgumentException("'columns' is for files without a header (header = false)");
    }
    Charset charset;
    try {
      charset = Charset.forName(p.getProperty("charset", "UTF-8").strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown charset '" + p.getProperty("charset") + "'");
    }
    if (!charset.newEncoder().canEncode(",\"\r\n") || charset.name().startsWith("UTF-16") || charset.name().startsWith("UTF-32")) {
      throw new IllegalArgumentException("charset " + charset + ": rows are found in the bytes, so the charset must write ASCII as ASCII (UTF-8, ISO-8859-1, windows-1252, ...)");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(p.getProperty("timeZone", "UTC").strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown timeZone '" + p.getProperty("timeZone") + "'");
    }
    String outputValue = p.getProperty("output", "").strip();
    CsvOutput output = switch (outputValue.toLowerCase(Locale.ROOT)) {
      case "hl7v2" -> CsvOutput.HL7V2;
      case "fhir" -> CsvOutput.FHIR;
      default -> throw new IllegalArgumentException("output must be hl7v2 or fhir, not '" + outputValue + "'");
    };
    String messageType = null;
    String version = null;
    List<String> resources = List.of();
    String bundle = null;
    if (output == CsvOutput.HL7V2) {
      messageType = p.getProperty("messageType", "").strip();
      if (!messageType.matches("[A-Z0-9]{3}\\^[A-Z0-9]{3}")) {
        throw new IllegalArgumentException("messageType must be an HL7v2 type and trigger event such as ORU^R01, not '" + messageType + "'");
      }
      version = p.getProperty("version", "2.5.1").strip();
      for (String key : List.of("resources", "bundle")) {
        if (p.getProperty(key) != null) {
          throw new IllegalArgumentException("'" + key + "' is for output fhir");
        }
      }
    } else {
      resources = Arrays.stream(p.getProperty("resources", "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      if (resources.isEmpty()) {
        throw new IllegalArgumentException("output fhir needs 'resources', the resource types each row makes (e.g. Patient, Observation)");
      }
      if (new LinkedHashSet<>(resources).size() != resources.size()) {
        throw new IllegalArgumentException("resources names a type twice: " + resources);
      }
      bundle = p.getProperty("bundle", "transaction").strip().toLowerCase(Locale.ROOT);
      if (!BUNDLES.contains(bundle)) {
        throw new IllegalArgumentException("bundle must be transaction, collection or none, not '" + bundle + "'");
      }
      if (bundle.equals("none") && resources.size() != 1) {
        throw new IllegalArgumentException("bundle none makes one resource per row; resources names " + resources.size());
      }
      for (String key : List.of("messageType", "version")) {
        if (p.getProperty(key) != null) {
          throw new IllegalArgumentException("'" + key + "' is for output hl7v2");
        }
      }
    }

    Map<String, String> fixed = new LinkedHashMap<>();
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, Map<String, String>> options = new LinkedHashMap<>();
    Set<String> unknown = new TreeSet<>();
    List<String> keys = new ArrayList<>(p.stringPropertyNames());
    keys.sort(null);
    for (String key : keys) {
      String value = p.getProperty(key);
      if (key.startsWith("fixed.")) {
        fixed.put(key.substring("fixed.".length()), value.strip());
      } else if (key.startsWith("column.")) {
        String rest = key.substring("column.".length());
        String option = COLUMN_OPTIONS.stream().filter(o -> rest.endsWith("." + o)).findFirst().orElse(null);
        if (option != null && p.getProperty("column." + rest.substring(0, rest.length() - option.length() - 1)) != null) {
          options.computeIfAbsent(rest.substring(0, rest.length() - option.length() - 1), c -> new LinkedHashMap<>()).put(option, value.strip());
        } else if (rest.lastIndexOf('.') > 0 && p.getProperty("column." + rest.substring(0, rest.lastIndexOf('.'))) != null) {
          unknown.add(key);
        } else {
          targets.put(rest, value.strip());
        }
      } else if (!KEYS.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown key(s) " + unknown + "; a mapping has " + new TreeSet<>(KEYS) + ", fixed.<target> and column.<name>[." + String.join("|", COLUMN_OPTIONS) + "]");
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no column is mapped (column.<name> = <target>)");
    }
    List<CsvColumn> columns = new ArrayList<>();
    for (Map.Entry<String, String> target : targets.entrySet()) {
      columns.add(column(target.getKey(), target.getValue(), options.getOrDefault(target.getKey(), Map.of()), header, columnCount));
    }
    // columns in file order when numbered, else in the order a reader of the mapping expects
    if (!header) {
      columns.sort(java.util.Comparator.comparingInt(c -> Integer.parseInt(c.name())));
    }
    CsvMapping mapping = new CsvMapping(name, delimiter, quote, header, columnCount, charset, zone, output, messageType, version, resources, bundle, fixed, columns);
    // every target is checked against the message model now, not at the first row
    if (output == CsvOutput.HL7V2) {
      Hl7v2RowBuilder.check(mapping);
    } else {
      FhirRowBuilder.check(mapping);
    }
    return mapping;
  }

  private static CsvColumn column(String name, String targetList, Map<String, String> options, boolean header, int columnCount) {
    if (!header) {
      int number;
      try {
        number = Integer.parseInt(name);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("without a header, columns are numbered from 1: column." + name + " is not a number");
      }
      if (number < 1 || number > columnCount) {
        throw new IllegalArgumentException("column." + name + ": the rows have columns 1 to " + columnCount);
      }
    }
    List<String> targets = Arrays.stream(targetList.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("column '" + name + "' has no target");
    }
    CsvValueType type = CsvValueType.of(name, options.getOrDefault("type", "string"));
    List<String> formats = options.containsKey("formats")
        ? Arrays.stream(options.get("formats").split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList()
        : type == CsvValueType.DATE ? CsvColumn.DATE_FORMATS : type == CsvValueType.DATETIME ? CsvColumn.DATETIME_FORMATS : List.of();
    if (!formats.isEmpty() && type != CsvValueType.DATE && type != CsvValueType.DATETIME) {
      throw new IllegalArgumentException("column '" + name + "': formats are for types date and datetime");
    }
    Pattern pattern = null;
    if (options.containsKey("pattern")) {
      try {
        pattern = Pattern.compile(options.get("pattern"));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("column '" + name + "': pattern is not a regular expression: " + e.getDescription());
      }
    }
    Map<String, String> codes = new LinkedHashMap<>();
    if (options.containsKey("codes")) {
      if (type != CsvValueType.CODE) {
        throw new IllegalArgumentException("column '" + name + "': codes are for type code");
      }
      for (String pair : options.get("codes").split("\\|")) {
        int equals = pair.indexOf('=');
        if (pair.isBlank()) {
          continue;
        }
        if (equals < 1) {
          throw new IllegalArgumentException("column '" + name + "': codes are 'value = code' pairs separated by |, not '" + pair.strip() + "'");
        }
        codes.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
    }
    if (type == CsvValueType.CODE && codes.isEmpty()) {
      throw new IllegalArgumentException("column '" + name + "': type code needs codes (value = code | value = code)");
    }
    return new CsvColumn(name, targets, type, formats, bool("column." + name + ".required", options.getOrDefault("required", "false")), pattern, codes);
  }

  private static char character(String key, String value) {
    String v = value.equals(" ") ? value : value.strip();
    if (v.equalsIgnoreCase("tab") || v.equals("\t")) {
      return '\t';
    }
    if (v.length() != 1 || v.charAt(0) == '\r' || v.charAt(0) == '\n' || v.charAt(0) > 127) {
      throw new IllegalArgumentException(key + " must be one ASCII character (or tab), not '" + value + "'");
    }
    return v.charAt(0);
  }

  private static boolean bool(String key, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
    }
    return v.equals("true");
  }

  /** The column names a file's header must have: every mapped column's. */
  public List<String> columnNames() {
    return columns.stream().map(CsvColumn::name).toList();
  }

  /** How Apache Commons CSV reads one row of such a file. */
  CSVFormat format() {
    return CSVFormat.RFC4180.builder()
        .setDelimiter(delimiter)
        .setQuote(quote)
        .setIgnoreEmptyLines(false)
        .get();
  }
}
