package io.integrationengine.services.input.file.csv;

import io.integrationengine.services.input.file.FileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file's data rows as records, numbered from 1 in file order, each the exact bytes of its
 * row: what the {@code file-intake} job stores, one message per row. The header (the first
 * non-blank line, when the mapping says the file has one) is read first and must name every
 * mapped column; if it does not, or the file is empty, the file has no records and
 * {@link #problems()} says why. Blank lines belong to no record.
 *
 * <p>Reading can resume at a row boundary (the end of the last row stored, with the number of the
 * next one): the header is read again, and the rows before that offset are passed over without
 * being parsed (their line breaks are counted, so later rows still name their line).
 */
public final class CsvFileRows {

  private static final int HEADER_SHOWN = 20;

  private final CsvRowSplitter splitter;
  private final CsvMapping mapping;
  private final List<String> columns;
  private final List<String> problems = new ArrayList<>();
  private final CsvRowSplitter.Row headerRow;
  private long nextNumber = 1;

  private CsvFileRows(InputStream in, CsvMapping mapping) throws IOException {
    this.mapping = mapping;
    this.splitter = new CsvRowSplitter(in, mapping.delimiter(), mapping.quote());
    CsvRowSplitter.Row first = null;
    if (mapping.header()) {
      do {
        first = splitter.next();
      } while (first != null && first.blank());
    }
    headerRow = first;
    if (!mapping.header()) {
      columns = IntStream.rangeClosed(1, mapping.columnCount()).mapToObj(String::valueOf).toList();
    } else if (first == null) {
      problems.add(splitter.position() == 0 ? "Empty file: no header, no records" : "No header: the file holds only blank lines");
      columns = null;
    } else {
      columns = headerColumns(first);
    }
  }

  /**
   * Opens a file to read its records.
   *
   * @param in the file from its first byte
   * @param offset 0, or where the last stored row ended (the job's resume position)
   * @param nextNumber the number of the row at {@code offset} (1 at the start)
   */
  public static CsvFileRows open(InputStream in, CsvMapping mapping, long offset, long nextNumber) throws IOException {
    CsvFileRows rows = new CsvFileRows(in, mapping);
    if (rows.columns != null && offset > rows.splitter.position()) {
      CsvRowSplitter.Row row;
      while (rows.splitter.position() < offset && (row = rows.splitter.next()) != null) {
        if (row.end() > offset) {
          throw new IllegalStateException("the resume position " + offset + " is not the end of a row (a row ends at " + row.end() + "): the file changed");
        }
      }
      rows.nextNumber = nextNumber;
    }
    return rows;
  }

  /** The file's column names, or null when it has no usable header (see {@link #problems()}). */
  public List<String> columns() {
    return columns;
  }

  /** What is wrong with the file as a whole: empty, no header, a header without the mapped columns. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The header line's bytes as in the file, or null. */
  public byte[] headerBytes() {
    return headerRow == null ? null : headerRow.bytes();
  }

  /** The next data row, or null at the end of the file (at once when the file has no usable header). */
  public FileRecord next() throws IOException {
    if (columns == null) {
      return null;
    }
    CsvRowSplitter.Row row;
    do {
      row = splitter.next();
    } while (row != null && row.blank());
    if (row == null) {
      return null;
    }
    return new FileRecord(FileRecord.Kind.ROW, nextNumber++, row.start(), row.end(), row.bytes(), new FileRecord.Csv(row.line(), columns));
  }

  private List<String> headerColumns(CsvRowSplitter.Row row) {
    List<String> names = new ArrayList<>();
    String text = new String(row.bytes(), mapping.charset());
    try (CSVParser parser = CSVParser.parse(text, mapping.format())) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() == 1) {
        for (String value : records.get(0)) {
          names.add(value.strip());
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      problems.add("Not a CSV file of mapping " + mapping.name() + ": its first line (line " + row.line() + ") cannot be read as a header: " + e.getMessage());
      return null;
    }
    Set<String> seen = new HashSet<>();
    List<String> twice = names.stream().filter(n -> !seen.add(n)).distinct().toList();
    List<String> missing = mapping.columnNames().stream().filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      String shown = names.size() <= HEADER_SHOWN ? String.join(", ", names) : String.join(", ", names.subList(0, HEADER_SHOWN)) + ", ... (" + names.size() + " columns)";
      problems.add("Not a CSV file of mapping " + mapping.name() + ": its header (line " + row.line() + ") lacks the mapped column(s) " + String.join(", ", missing)
          + "; it has: " + shown);
      return null;
    }
    List<String> mappedTwice = twice.stream().filter(mapping.columnNames()::contains).toList();
    if (!mappedTwice.isEmpty()) {
      problems.add("The header (line " + row.line() + ") names the mapped column(s) " + String.join(", ", mappedTwice) + " more than once");
      return null;
    }
    return List.copyOf(names);
  }
}
