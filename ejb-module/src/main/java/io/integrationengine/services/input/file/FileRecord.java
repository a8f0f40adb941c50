package io.integrationengine.services.input.file;

/**
 * One piece of a file, in file order. Of an HL7v2 file: a message (from a line that starts with
 * {@code MSH} to the line before the next message or envelope segment), an envelope segment of a
 * batch file ({@code FHS}, {@code BHS}, {@code BTS}, {@code FTS}), or text that belongs to neither.
 * Of a CSV file: one data row (its header is read with the file, not a record).
 *
 * @param number the record's number in the file, from 1; counts messages and stray text, not envelope segments (0 for those)
 * @param start offset of its first byte in the file
 * @param end offset just after its last byte (its line ending included); the next record starts at or after it
 * @param bytes exactly the file's bytes from {@code start} to {@code end}, line endings as written;
 *     blank lines between records belong to none
 * @param csv for a CSV row, the line it starts on and the file's columns; null for HL7v2 pieces
 */
public record FileRecord(Kind kind, long number, long start, long end, byte[] bytes, Csv csv) {

  /**
   * What a CSV row needs besides its bytes to be read.
   *
   * @param line the line of the file the row starts on, from 1 (a quoted value may span lines)
   * @param columns the file's column names in order (its header, or 1, 2, ... without one)
   */
  public record Csv(long line, java.util.List<String> columns) {}

  /** A piece of an HL7v2 file. */
  public FileRecord(Kind kind, long number, long start, long end, byte[] bytes) {
    this(kind, number, start, end, bytes, null);
  }

  /** What a piece of the file is. */
  public enum Kind {
    /** An HL7v2 message: starts with a line beginning {@code MSH}. */
    MESSAGE,
    /** Lines before the first message that are neither blank nor an envelope segment: stored as rejected. */
    STRAY_TEXT,
    /** {@code FHS}, {@code BHS}, {@code BTS} or {@code FTS}: kept with the file's envelope. */
    ENVELOPE,
    /** A data row of a CSV file: becomes a message through the channel's mapping. */
    ROW
  }

  /** For an envelope segment: its name ({@code FHS}, ...). */
  public String segment() {
    return bytes.length >= 3 ? new String(bytes, 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
  }
}
