package io.integrationengine.services.input.file.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file once its rows are stored: the file's envelope message and what is wrong with the file
 * as a whole. The envelope holds the whole file, byte for byte (the rows' own bytes: the stored
 * messages are what the mapping made of them), up to {@link #MAX_STORED} bytes; a larger file's
 * envelope holds its header line only, and the file itself is in {@code archive/} or {@code error/}.
 *
 * @param bytes the envelope's content
 * @param records the file's data rows
 * @param problems empty file, no header, a header that lacks mapped columns, no data rows
 * @param readable false when no row could be taken (no header, or not one of the mapping's)
 */
public record CsvFileEnvelope(byte[] bytes, long records, List<String> problems, boolean readable) {

  /** Files up to this size are kept whole in the envelope message. */
  public static final long MAX_STORED = 64L * 1024 * 1024;

  public static CsvFileEnvelope read(Path file, CsvMapping mapping) throws IOException {
    List<String> problems = new ArrayList<>();
    long records = 0;
    byte[] header;
    boolean readable;
    try (InputStream in = Files.newInputStream(file)) {
      CsvFileRows rows = CsvFileRows.open(in, mapping, 0, 1);
      while (rows.next() != null) {
        records++;
      }
      problems.addAll(rows.problems());
      readable = rows.columns() != null;
      if (readable && records == 0) {
        problems.add(mapping.header() ? "No records: the file holds only its header" : "Empty file: no records");
      }
      header = rows.headerBytes();
    }
    long size = Files.size(file);
    byte[] bytes = size <= MAX_STORED ? Files.readAllBytes(file) : header == null ? new byte[0] : header;
    return new CsvFileEnvelope(bytes, records, problems, readable);
  }
}
