package io.integrationengine.services.input.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What can be told about a file before splitting it. */
final class FileInspection {

  /** How much of a file is looked at to tell text from binary. */
  static final int HEAD = 8192;

  private FileInspection() {}

  /** True when the file's first 8 KB hold a NUL byte: no HL7v2 or CSV text does. */
  static boolean binary(Path file) throws IOException {
    byte[] head = new byte[HEAD];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
        n += r;
      }
    }
    return Hl7FileSplitter.looksBinary(head, n);
  }
}
