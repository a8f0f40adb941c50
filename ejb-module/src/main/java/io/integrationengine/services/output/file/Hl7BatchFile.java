package io.integrationengine.services.output.file;

import io.integrationengine.services.output.OutboundMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HL7 batch file a file destination is filling ({@code batchSize}, {@code batchWindowSeconds}):
 * {@code FHS}, {@code BHS}, the messages as delivered, then {@code BTS} (the message count) and
 * {@code FTS} when it is closed. Until then it lives in the destination's folder under a dot name
 * (which folder pollers ignore) and is renamed to its final name when closed, so a reader never
 * sees half a batch.
 *
 * <p>Each message is delivered into the batch exactly once, also across a crash of the server, by
 * three files:
 *
 * <ul>
 *   <li>{@code .<destination>.batch}: the open batch's bytes
 *   <li>{@code .<destination>.batch.index}: a first line {@code <opened millis> <header length> <final name>},
 *       then a line {@code <message id> <end offset>} written after each message's bytes
 *   <li>{@code .<destination>.batch.last}: the index of the batch closed last
 * </ul>
 *
 * On loading, the open batch is cut back to the end of the last message its index names (a message
 * whose bytes were written but not indexed is written again when its delivery is retried); a
 * message already in the open or in the last closed batch is not written again. Closing writes the
 * trailer, renames the index to {@code .last}, then renames the batch to its final name; a crash
 * between the two renames is finished by the next load. Instances are used under their own lock.
 */
final class Hl7BatchFile {

  private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private final Path folder;
  private final String destination;
  private final Path open;
  private final Path index;
  private final Path last;
  private final Set<String> written = new HashSet<>();
  private final Set<String> inLast = new HashSet<>();
  private String lastName;
  private String finalName;
  private long opened;
  private long end;
  private int count;

  private Hl7BatchFile(Path folder, String destination) {
    this.folder = folder;
    this.destination = destination;
    String base = "." + FileNamePattern.safe(destination) + ".batch";
    this.open = folder.resolve(base);
    this.index = folder.resolve(base + ".index");
    this.last = folder.resolve(base + ".last");
  }

  /** The batch of {@code destination} in {@code folder}, recovered from what a crash left. */
  static Hl7BatchFile load(Path folder, String destination) throws IOException {
    Files.createDirectories(folder);
    Hl7BatchFile batch = new Hl7BatchFile(folder, destination);
    batch.recover();
    return batch;
  }

  private void recover() throws IOException {
    if (Files.exists(last)) {
      List<String> lines = Files.readAllLines(last, StandardCharsets.UTF_8);
      if (!lines.isEmpty()) {
        lastName = lines.get(0).split(" ", 3)[2];
        lines.stream().skip(1).map(l -> l.split(" ")[0]).forEach(inLast::add);
      }
    }
    if (Files.exists(index) && !Files.exists(open)) {
      Files.delete(index); // never the case by the order of writes; nothing to keep
    }
    if (Files.exists(index)) {
      List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
      String[] head = lines.get(0).split(" ", 3);
      opened = Long.parseLong(head[0]);
      end = Long.parseLong(head[1]);
      finalName = head[2];
      List<String> kept = new ArrayList<>();
      kept.add(lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        String[] entry = line.split(" ");
        if (entry.length == 2 && !entry[1].isEmpty()) { // a line cut by a crash is not an entry
          written.add(entry[0]);
          end = Long.parseLong(entry[1]);
          count++;
          kept.add(line);
        }
      }
      try (FileChannel channel = FileChannel.open(open, StandardOpenOption.WRITE)) {
        channel.truncate(end);
      }
      replaceIndex(kept);
    } else if (Files.exists(open)) {
      if (lastName != null && !Files.exists(folder.resolve(lastName)) && endsWith(open, trailer(inLast.size()))) {
        // closed (trailer written, index renamed) but not yet renamed: finish it
        moveToFinal(lastName);
      } else {
        // a header whose index was never written: no message in it. (The last batch may be gone from
        // the folder because a reader took it, or an SFTP destination uploaded it: that is no reason
        // to give its name to this header.)
        Files.delete(open);
      }
    }
  }

  /** Writes the index anew (a temporary file renamed over it), so a crash leaves the old one or the new one. */
  private void replaceIndex(List<String> lines) throws IOException {
    Path fresh = folder.resolve(index.getFileName() + ".tmp");
    Files.write(fresh, lines, StandardCharsets.UTF_8);
    Files.move(fresh, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Adds one message (its bytes, a segment terminator added when they end without one) and answers
   * the final path of the batch it is in. A message already in this batch or the one closed last
   * is not added twice.
   */
  Path add(OutboundMessage message, FileNamePattern names, String extension, ZonedDateTime now) throws IOException {
    if (written.contains(message.messageId())) {
      return folder.resolve(finalName);
    }
    if (inLast.contains(message.messageId())) {
      return folder.resolve(lastName);
    }
    if (finalName == null) {
      start(message, names, extension, now);
    }
    byte[] bytes = message.content().bytes();
    boolean terminated = bytes.length > 0 && (bytes[bytes.length - 1] == '\r' || bytes[bytes.length - 1] == '\n');
    try (FileChannel channel = FileChannel.open(open, StandardOpenOption.WRITE)) {
      channel.position(end);
      write(channel, ByteBuffer.wrap(bytes));
      if (!terminated) {
        write(channel, ByteBuffer.wrap(new byte[] {'\r'}));
      }
      end = channel.position();
    }
    Files.writeString(index, message.messageId() + " " + end + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    written.add(message.messageId());
    count++;
    return folder.resolve(finalName);
  }

  private void start(OutboundMessage first, FileNamePattern names, String extension, ZonedDateTime now) throws IOException {
    String name = names.resolve(first, destination, now) + "." + extension;
    Path target = folder.resolve(name).normalize();
    if (!target.startsWith(folder)) {
      throw new IOException("batch file name '" + name + "' leaves the folder");
    }
    if (Files.exists(target) || target.getFileName().toString().equals(lastName)) {
      String file = target.getFileName().toString();
      int dot = file.lastIndexOf('.');
      target = target.resolveSibling(file.substring(0, dot) + "_" + FileNamePattern.safe(first.messageId()) + file.substring(dot));
    }
    Files.createDirectories(target.getParent());
    String time = now.format(HL7_TIME);
    String control = FileNamePattern.safe(first.messageId());
    String header = "FHS|^~\\&|INTEGRATION-ENGINE||" + destination + "||" + time + "||" + target.getFileName() + "||" + control + "\r"
        + "BHS|^~\\&|INTEGRATION-ENGINE||" + destination + "||" + time + "||||" + control + "\r";
    byte[] bytes = header.getBytes(StandardCharsets.US_ASCII);
    Files.write(open, bytes);
    opened = now.toInstant().toEpochMilli();
    end = bytes.length;
    count = 0;
    finalName = folder.relativize(target).toString();
    replaceIndex(List.of(opened + " " + end + " " + finalName));
  }

  /** Messages in the open batch. */
  int count() {
    return count;
  }

  /** True when a batch is open and was opened longer ago than {@code window}. */
  boolean olderThan(Duration window, Instant now) {
    return finalName != null && count > 0 && !Instant.ofEpochMilli(opened).plus(window).isAfter(now);
  }

  /** Writes the trailer and renames the batch to its final name; nothing when no batch is open. */
  Path close() throws IOException {
    if (finalName == null) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(open, StandardOpenOption.WRITE)) {
      channel.truncate(end);
      channel.position(end);
      write(channel, ByteBuffer.wrap(trailer(count)));
      channel.force(true);
    }
    Files.move(index, last, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path target = moveToFinal(finalName);
    inLast.clear();
    inLast.addAll(written);
    lastName = finalName;
    written.clear();
    finalName = null;
    count = 0;
    end = 0;
    return target;
  }

  private static byte[] trailer(int messages) {
    return ("BTS|" + messages + "\rFTS|1\r").getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean endsWith(Path file, byte[] tail) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() < tail.length) {
        return false;
      }
      ByteBuffer read = ByteBuffer.allocate(tail.length);
      channel.position(channel.size() - tail.length);
      while (read.hasRemaining() && channel.read(read) >= 0) {
        // until full
      }
      return java.util.Arrays.equals(read.array(), tail);
    }
  }

  private Path moveToFinal(String name) throws IOException {
    Path target = folder.resolve(name);
    try {
      Files.move(open, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // already moved
    }
    return target;
  }

  private static void write(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneId.systemDefault());
  }
}
