package io.integrationengine.services.input.file.csv;

import java.util.Locale;

/** What a CSV column holds: its value is checked and converted before it is set in the message. */
public enum CsvValueType {
  /** Any text, set as written. */
  STRING,
  /** A whole number ({@code -12}, {@code 007}). */
  INTEGER,
  /** A decimal number ({@code 12}, {@code -0.5}, {@code 1.0E3}). */
  NUMBER,
  /** A date, read with the column's formats (default {@code yyyy-MM-dd}). */
  DATE,
  /** A date and time, read with the column's formats; without an offset it is in the mapping's time zone. */
  DATETIME,
  /** One of the values listed in the column's {@code codes}, replaced by its code. */
  CODE;

  static CsvValueType of(String column, String value) {
    for (CsvValueType t : values()) {
      if (t.name().equalsIgnoreCase(value.strip())) {
        return t;
      }
    }
    throw new IllegalArgumentException("column '" + column + "': type must be one of string, integer, number, date, datetime, code, not '" + value + "'");
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
