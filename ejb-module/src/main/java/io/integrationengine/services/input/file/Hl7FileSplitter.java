package io.integrationengine.services.input.file;

import io.integrationengine.services.input.file.FileRecord.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an HL7v2 file into its records, reading it once, front to back, and never changing a
 * byte: a record is the exact slice of the file it came from, its line endings ({@code \r},
 * {@code \n} or {@code \r\n}, mixed if the file mixes them) included.
 *
 * <p>A message starts only at a line that begins with {@code MSH} and a field separator: real files
 * carry the text "MSH" inside field values (an OBX-5 quoting a header, a note), and those lines are
 * part of the message they are in. {@code FHS}, {@code BHS}, {@code BTS} and {@code FTS} lines are
 * the batch envelope and end the message before them. Blank lines between messages belong to
 * none; a blank line followed by more segments of the same message stays in it. A UTF-8 byte
 * order mark at the start of the file belongs to the file, not to its first message.
 *
 * <p>Splitting can resume at a record boundary ({@link FileRecord#end()} of the last record
 * stored, with the number of the next one): that is the job's checkpoint.
 */
public final class Hl7FileSplitter {

  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[BUFFER];
  private int bufferPos;
  private int bufferLen;
  private boolean eof;

  /** Offset in the file of the next byte {@link #readLine} returns. */
  private long position;
  private long nextNumber;

  private byte[] pendingLine;
  private long pendingStart;

  /**
   * @param in the file, positioned at {@code offset}
   * @param offset where reading starts: 0, or a record's end
   * @param nextNumber the number the next message or stray text gets (1 at the start of a file)
   */
  public Hl7FileSplitter(InputStream in, long offset, long nextNumber) {
    this.in = in;
    this.position = offset;
    this.nextNumber = nextNumber;
  }

  /** The next record, or null at the end of the file. */
  public FileRecord next() throws IOException {
    if (position == 0 && pendingLine == null) {
      skipByteOrderMark();
    }
    Kind kind = null;
    long start = 0;
    long end = 0;
    ByteArrayOutputStream current = null;
    ByteArrayOutputStream blanks = null;
    while (true) {
      long lineStart;
      byte[] line;
      if (pendingLine != null) {
        line = pendingLine;
        lineStart = pendingStart;
        pendingLine = null;
      } else {
        lineStart = position;
        line = readLine();
      }
      if (line == null) {
        return current == null ? null : record(kind, start, end, current);
      }
      if (startsSegment(line, "MSH") || isEnvelope(line)) {
        if (current != null) {
          pendingLine = line;
          pendingStart = lineStart;
          return record(kind, start, end, current);
        }
        if (isEnvelope(line)) {
          return new FileRecord(Kind.ENVELOPE, 0, lineStart, lineStart + line.length, line);
        }
        kind = Kind.MESSAGE;
        start = lineStart;
        end = lineStart + line.length;
        current = new ByteArrayOutputStream(Math.max(1024, line.length * 8));
        current.write(line);
        blanks = null;
      } else if (isBlank(line)) {
        if (current != null) {
          if (blanks == null) {
            blanks = new ByteArrayOutputStream();
          }
          blanks.write(line);
        }
      } else {
        if (current == null) {
          kind = Kind.STRAY_TEXT;
          start = lineStart;
          current = new ByteArrayOutputStream();
        } else if (blanks != null) {
          blanks.writeTo(current);
          blanks = null;
        }
        current.write(line);
        end = lineStart + line.length;
      }
    }
  }

  /** Where the next record would start if no line had been read ahead: the end of the last one returned, or later. */
  long position() {
    return pendingLine != null ? pendingStart : position;
  }

  private FileRecord record(Kind kind, long start, long end, ByteArrayOutputStream bytes) {
    return new FileRecord(kind, nextNumber++, start, end, bytes.toByteArray());
  }

  /** True for a line that begins with the three letters and a field separator (not a letter, digit or line end). */
  static boolean startsSegment(byte[] line, String name) {
    if (line.length < 4 || line[0] != name.charAt(0) || line[1] != name.charAt(1) || line[2] != name.charAt(2)) {
      return false;
    }
    int separator = line[3] & 0xFF;
    return !Character.isLetterOrDigit(separator) && separator != '\r' && separator != '\n' && separator != ' ';
  }

  static boolean isEnvelope(byte[] line) {
    return startsSegment(line, "FHS") || startsSegment(line, "BHS") || startsSegment(line, "BTS") || startsSegment(line, "FTS");
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private void skipByteOrderMark() throws IOException {
    if (fill() && bufferLen - bufferPos >= 3 || fillAtLeast(3)) {
      if ((buffer[bufferPos] & 0xFF) == 0xEF && (buffer[bufferPos + 1] & 0xFF) == 0xBB && (buffer[bufferPos + 2] & 0xFF) == 0xBF) {
        bufferPos += 3;
        position += 3;
      }
    }
  }

  /** One line with its ending ({@code \r}, {@code \n} or {@code \r\n}), or the rest of the file; null at its end. */
  private byte[] readLine() throws IOException {
    ByteArrayOutputStream spill = null;
    while (true) {
      if (!fill()) {
        if (spill == null || spill.size() == 0) {
          return null;
        }
        byte[] rest = spill.toByteArray();
        position += rest.length;
        return rest;
      }
      for (int i = bufferPos; i < bufferLen; i++) {
        byte b = buffer[i];
        if (b == '\n' || b == '\r') {
          int lineEnd = i + 1;
          if (b == '\r') {
            if (lineEnd == bufferLen) {
              // a CR at the end of the buffer: the LF of a CRLF may be the next buffer's first byte
              if (spill == null) {
                spill = new ByteArrayOutputStream(lineEnd - bufferPos + 1);
              }
              spill.write(buffer, bufferPos, lineEnd - bufferPos);
              bufferPos = lineEnd;
              if (fill() && buffer[bufferPos] == '\n') {
                spill.write('\n');
                bufferPos++;
              }
              byte[] result = spill.toByteArray();
              position += result.length;
              return result;
            }
            if (buffer[lineEnd] == '\n') {
              lineEnd++;
            }
          }
          byte[] result;
          if (spill == null) {
            result = Arrays.copyOfRange(buffer, bufferPos, lineEnd);
          } else {
            spill.write(buffer, bufferPos, lineEnd - bufferPos);
            result = spill.toByteArray();
          }
          bufferPos = lineEnd;
          position += result.length;
          return result;
        }
      }
      if (spill == null) {
        spill = new ByteArrayOutputStream(Math.max(256, (bufferLen - bufferPos) * 2));
      }
      spill.write(buffer, bufferPos, bufferLen - bufferPos);
      bufferPos = bufferLen;
    }
  }

  /** True when at least one unread byte is in the buffer. */
  private boolean fill() throws IOException {
    if (bufferPos < bufferLen) {
      return true;
    }
    if (eof) {
      return false;
    }
    int n = in.read(buffer, 0, buffer.length);
    while (n == 0) {
      n = in.read(buffer, 0, buffer.length);
    }
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

  private boolean fillAtLeast(int count) throws IOException {
    while (bufferLen - bufferPos < count && !eof) {
      if (bufferPos > 0) {
        System.arraycopy(buffer, bufferPos, buffer, 0, bufferLen - bufferPos);
        bufferLen -= bufferPos;
        bufferPos = 0;
      }
      int n = in.read(buffer, bufferLen, buffer.length - bufferLen);
      if (n < 0) {
        eof = true;
      } else {
        bufferLen += n;
      }
    }
    return bufferLen - bufferPos >= count;
  }

  /** True when the bytes hold a NUL: no HL7v2 (or CSV) text does; the file is binary. */
  public static boolean looksBinary(byte[] head, int length) {
    for (int i = 0; i < length; i++) {
      if (head[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
