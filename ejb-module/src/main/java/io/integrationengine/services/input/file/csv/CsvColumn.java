package io.integrationengine.services.input.file.csv;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One mapped column of a CSV file: where its value goes, what type it must have, and whether it
 * may be empty. {@link #convert} turns a row's value into the value set in the message, or says
 * what is wrong with it in words an analyst can check against the file.
 *
 * @param name the column's header name (its number, from 1, in a file without a header)
 * @param targets HL7v2 Terser paths ({@code PID-5-1}) or FHIR element paths ({@code Patient.name.family})
 * @param formats for dates and times: the patterns tried in order ({@link DateTimeFormatter} syntax)
 * @param pattern when set, a text value must match it as a whole
 * @param codes for type {@code code}: each value the column may hold and the code it becomes
 */
public record CsvColumn(String name, List<String> targets, CsvValueType type, List<String> formats, boolean required, Pattern pattern, Map<String, String> codes) {

  static final List<String> DATE_FORMATS = List.of("yyyy-MM-dd");
  static final List<String> DATETIME_FORMATS = List.of("yyyy-MM-dd'T'HH:mm[:ss][.SSS][XXX]", "yyyy-MM-dd HH:mm[:ss][XXX]");

  public CsvColumn {
    targets = List.copyOf(targets);
    formats = List.copyOf(formats);
    codes = Map.copyOf(codes);
    for (String format : formats) {
      try {
        formatter(format);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column '" + name + "': format '" + format + "' is not a date pattern: " + e.getMessage());
      }
    }
  }

  /**
   * The row's value as set in the message: a {@link String}, a {@link BigDecimal}, a
   * {@link LocalDate}, or an {@link OffsetDateTime}; null when the value is empty and the column
   * is not required (nothing is set).
   *
   * @throws IllegalArgumentException what is wrong with the value (without the column's name)
   */
  Object convert(String value, ZoneId zone) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw new IllegalArgumentException("is required but empty");
      }
      return null;
    }
    String v = value.strip();
    if (pattern != null && !pattern.matcher(type == CsvValueType.STRING ? value : v).matches()) {
      throw new IllegalArgumentException("'" + value + "' does not match the pattern " + pattern.pattern());
    }
    return switch (type) {
      case STRING -> value;
      case INTEGER -> {
        if (!v.matches("[+-]?\\d+")) {
          throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
        yield new BigDecimal(v);
      }
      case NUMBER -> {
        try {
          yield new BigDecimal(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + value + "' is not a number");
        }
      }
      case DATE -> {
        for (String format : formats) {
          try {
            yield LocalDate.from(formatter(format).parse(v));
          } catch (java.time.DateTimeException e) {
            // the next format
          }
        }
        throw new IllegalArgumentException("'" + value + "' is not a date in " + (formats.size() == 1 ? "the format " : "any of the formats ") + String.join(" | ", formats));
      }
      case DATETIME -> {
        for (String format : formats) {
          try {
            TemporalAccessor parsed = formatter(format).parseBest(v, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof LocalDateTime local) {
              yield local.atZone(zone).toOffsetDateTime();
            }
            yield parsed;
          } catch (java.time.DateTimeException e) {
            // the next format
          }
        }
        throw new IllegalArgumentException("'" + value + "' is not a date and time in " + (formats.size() == 1 ? "the format " : "any of the formats ") + String.join(" | ", formats));
      }
      case CODE -> {
        String code = codes.get(v);
        if (code == null) {
          throw new IllegalArgumentException("'" + value + "' is not one of the listed values " + codes.keySet().stream().sorted().toList());
        }
        yield code;
      }
    };
  }

  /** A pattern as an analyst writes it ({@code M/d/yyyy}, {@code MMM d, yyyy}): English month names in any case, invalid dates refused. */
  static DateTimeFormatter formatter(String pattern) {
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .parseDefaulting(ChronoField.ERA, 1)
        .toFormatter(Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT);
  }
}
