package io.integrationengine.services.input.file.csv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds a CSV file's rows in its bytes, front to back, without changing one: a row ends at a line
 * break ({@code \r}, {@code \n} or {@code \r\n}, included in the row) that is not inside a quoted
 * value. A quote opens a quoted value only where a value starts (after the delimiter or at the
 * start of a row), as Apache Commons CSV reads it, so {@code Bob's} or {@code 5" tall} in an
 * unquoted value do not swallow the following lines. Rows are found in bytes, so the charset must
 * write ASCII characters as ASCII bytes (UTF-8, ISO-8859-1, windows-1252); the mapping checks it.
 */
final class CsvRowSplitter {

  /** A row: its bytes exactly as in the file, where they are, and the line it starts on (from 1). */
  record Row(long start, long end, long line, byte[] bytes) {

    /** True for a line with nothing but spaces or tabs: it belongs to no record. */
    boolean blank() {
      for (byte b : bytes) {
        if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
          return false;
        }
      }
      return true;
    }
  }

  private enum State {
    VALUE_START,
    UNQUOTED,
    QUOTED,
    QUOTE_IN_QUOTED
  }

  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final byte delimiter;
  private final int quote;
  private final byte[] buffer = new byte[BUFFER];
  private int bufferPos;
  private int bufferLen;
  private boolean eof;
  private long position;
  private long line = 1;

  /** @param in the file from its first byte (a UTF-8 byte order mark there is skipped: it belongs to the file) */
  CsvRowSplitter(InputStream in, char delimiter, Character quote) throws IOException {
    this.in = in;
    this.delimiter = (byte) delimiter;
    this.quote = quote == null ? -1 : quote;
    if (fill() && bufferLen >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
      bufferPos = 3;
      position = 3;
    }
  }

  /** Where the next row starts. */
  long position() {
    return position;
  }

  /** The next row, blank ones included; null at the end of the file. */
  Row next() throws IOException {
    long start = position;
    long startLine = line;
    ByteArrayOutputStream row = new ByteArrayOutputStream(256);
    State state = State.VALUE_START;
    while (fill()) {
      int b = buffer[bufferPos++] & 0xFF;
      position++;
      row.write(b);
      if (b == '\r' || b == '\n') {
        if (b == '\r' && fill() && buffer[bufferPos] == '\n') {
          bufferPos++;
          position++;
          row.write('\n');
        }
        line++;
        if (state != State.QUOTED) {
          return new Row(start, position, startLine, row.toByteArray());
        }
        continue;
      }
      state = switch (state) {
        case VALUE_START -> b == quote ? State.QUOTED : b == delimiter ? State.VALUE_START : State.UNQUOTED;
        case UNQUOTED -> b == delimiter ? State.VALUE_START : State.UNQUOTED;
        case QUOTED -> b == quote ? State.QUOTE_IN_QUOTED : State.QUOTED;
        // "" is a quote inside the value; anything else but the delimiter is malformed, and Commons CSV says so
        case QUOTE_IN_QUOTED -> b == quote ? State.QUOTED : b == delimiter ? State.VALUE_START : State.UNQUOTED;
      };
    }
    return row.size() == 0 ? null : new Row(start, position, startLine, row.toByteArray());
  }

  private boolean fill() throws IOException {
    if (bufferPos < bufferLen) {
      return true;
    }
    if (eof) {
      return false;
    }
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      bufferPos = 0;
      bufferLen = 0;
      return false;
    }
    bufferPos = 0;
    bufferLen = n;
    return true;
  }
}
