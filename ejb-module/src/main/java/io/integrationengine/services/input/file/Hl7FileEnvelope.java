package io.integrationengine.services.input.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's batch envelope ({@code FHS}, {@code BHS}, {@code BTS}, {@code FTS}), read in one more
 * pass over the file once its records are stored: the envelope's bytes as written (kept as the
 * file's parent message) and what disagrees with its counts. BTS-1 is the number of messages in
 * its batch and FTS-1 the number of batches in the file; each is checked when present.
 *
 * @param bytes the envelope segments exactly as in the file, in file order (empty for a file without one)
 * @param messages how many messages the file holds
 * @param records how many records (messages and stray text) it holds
 * @param problems each count that does not match, or envelope segment out of place
 */
public record Hl7FileEnvelope(byte[] bytes, long messages, long records, List<String> problems) {

  public static Hl7FileEnvelope read(InputStream in) throws IOException {
    Hl7FileSplitter splitter = new Hl7FileSplitter(in, 0, 1);
    ByteArrayOutputStream envelope = new ByteArrayOutputStream();
    List<String> problems = new ArrayList<>();
    long messages = 0;
    long records = 0;
    long inBatch = 0;
    long batches = 0;
    boolean batchOpen = false;
    FileRecord record;
    while ((record = splitter.next()) != null) {
      switch (record.kind()) {
        case MESSAGE -> {
          messages++;
          records++;
          inBatch++;
        }
        case STRAY_TEXT -> records++;
        case ENVELOPE -> {
          envelope.write(record.bytes());
          String segment = record.segment();
          switch (segment) {
            case "BHS" -> {
              if (batchOpen) {
                problems.add("BHS at byte " + record.start() + " opens a batch before the previous one was closed by a BTS");
              }
              batchOpen = true;
              batches++;
              inBatch = 0;
            }
            case "BTS" -> {
              String declared = field1(record.bytes());
              if (!batchOpen) {
                problems.add("BTS at byte " + record.start() + " without a BHS before it");
              }
              if (!declared.isEmpty() && !declared.equals(String.valueOf(inBatch))) {
                problems.add("BTS-1 at byte " + record.start() + " says the batch has " + declared + " message(s); it has " + inBatch);
              }
              batchOpen = false;
            }
            case "FTS" -> {
              String declared = field1(record.bytes());
              if (!declared.isEmpty() && !declared.equals(String.valueOf(batches))) {
                problems.add("FTS-1 at byte " + record.start() + " says the file has " + declared + " batch(es); it has " + batches);
              }
            }
            default -> {
              // FHS: nothing to count
            }
          }
        }
        default -> throw new IllegalStateException(record.kind().name());
      }
    }
    return new Hl7FileEnvelope(envelope.toByteArray(), messages, records, problems);
  }

  /** Field 1 of an envelope segment, stripped; "" when empty or absent. */
  static String field1(byte[] segment) {
    String text = new String(segment, StandardCharsets.ISO_8859_1).strip();
    if (text.length() < 4) {
      return "";
    }
    char separator = text.charAt(3);
    int end = text.indexOf(separator, 4);
    String value = end < 0 ? text.substring(4) : text.substring(4, end);
    int component = value.indexOf('^');
    return (component < 0 ? value : value.substring(0, component)).strip();
  }
}
