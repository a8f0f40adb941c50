package io.integrationengine.services.input;

import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.model.StoredMessageCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * An append-only file of messages acknowledged before their rows are written: each record is
 * written to the file (the operating system's cache, as H2 writes its commits) before the sender
 * gets its ACK, and the store's rows follow in larger batches. A segment file is deleted once
 * every record in it is stored; what is left at a start was acknowledged and perhaps not stored,
 * and is read back ({@link #leftovers}) to be stored then.
 *
 * <p>A record is its length, a CRC-32 of its bytes, and the bytes ({@link StoredMessageCodec}). A
 * record cut short by a crash in the middle of its write was never acknowledged, and reading
 * stops there.
 */
final class IntakeJournal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(IntakeJournal.class.getName());
  private static final Pattern SEGMENT = Pattern.compile("intake-(\\d{12})\\.journal");
  static final long SEGMENT_BYTES = 64L * 1024 * 1024;
  private static final int HEADER = 8;

  /** A file of records: how many were appended to it and how many of those are stored since. */
  static final class Segment {
    private final Path path;
    private final FileChannel channel;
    private int appended;
    private int stored;
    private boolean sealed;

    private Segment(Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }
  }

  /** A message written to the journal, not yet known to be stored. */
  record Entry(StoredMessage message, Segment segment) {}

  private final Path directory;
  private final long segmentBytes;
  private final List<Path> leftovers;
  private final Object lock = new Object();
  private long nextNumber;
  private Segment active;

  private IntakeJournal(Path directory, long segmentBytes, List<Path> leftovers, long nextNumber) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.leftovers = leftovers;
    this.nextNumber = nextNumber;
  }

  /** Opens the journal in {@code directory} (made if missing); the segments found there are its {@link #leftovers}. */
  static IntakeJournal open(Path directory) throws IOException {
    return open(directory, SEGMENT_BYTES);
  }

  static IntakeJournal open(Path directory, long segmentBytes) throws IOException {
    Files.createDirectories(directory);
    List<Path> found = new ArrayList<>();
    long next = 1;
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        Matcher m = SEGMENT.matcher(file.getFileName().toString());
        if (m.matches()) {
          found.add(file);
          next = Math.max(next, Long.parseLong(m.group(1)) + 1);
        }
      }
    }
    return new IntakeJournal(directory, segmentBytes, List.copyOf(found), next);
  }

  /** The messages in the segments found at opening, in the order they were written. */
  List<StoredMessage> leftovers() throws IOException {
    List<StoredMessage> messages = new ArrayList<>();
    for (Path file : leftovers) {
      messages.addAll(read(file));
    }
    return messages;
  }

  /** Deletes the segments found at opening: their messages are stored. */
  void leftoversStored() throws IOException {
    for (Path file : leftovers) {
      Files.deleteIfExists(file);
    }
  }

  /** The records of a segment, up to its end or to a record cut short. */
  static List<StoredMessage> read(Path file) throws IOException {
    List<StoredMessage> messages = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (true) {
        header.clear();
        if (!readFully(channel, header)) {
          break;
        }
        header.flip();
        int length = header.getInt();
        long crc = header.getInt() & 0xffffffffL;
        if (length <= 0 || length > channel.size() - channel.position()) {
          LOG.warning(() -> file + ": a record cut short at the end (never acknowledged); the records before it are read");
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body);
        if (crc(body.array()) != crc) {
          LOG.warning(() -> file + ": a record does not match its checksum (cut short by a crash, never acknowledged); the records before it are read");
          break;
        }
        messages.add(StoredMessageCodec.decode(body.array()));
      }
    }
    return messages;
  }

  /** Writes the message to the journal; when this returns, a crash of the process no longer loses it. */
  Entry append(StoredMessage message) throws IOException {
    byte[] body = StoredMessageCodec.encode(message);
    ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(body.length).putInt((int) crc(body)).flip();
    // one gathering write of header and body, without copying the body again
    ByteBuffer[] record = {header, ByteBuffer.wrap(body)};
    synchronized (lock) {
      if (active == null || active.channel.position() >= segmentBytes) {
        roll();
      }
      Segment segment = active;
      while (record[1].hasRemaining()) {
        segment.channel.write(record);
      }
      segment.appended++;
      return new Entry(message, segment);
    }
  }

  /** The entries' messages are stored: a sealed segment whose messages all are is deleted. */
  void stored(List<Entry> entries) {
    synchronized (lock) {
      for (Entry entry : entries) {
        entry.segment.stored++;
        deleteIfDone(entry.segment);
      }
    }
  }

  /** How many segment files the journal has now (for tests). */
  long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches()).count();
    }
  }

  /** Closes the file; records not yet stored stay in it for the next start. */
  @Override
  public void close() {
    synchronized (lock) {
      if (active != null) {
        active.sealed = true;
        closeQuietly(active);
        deleteIfDone(active);
        active = null;
      }
    }
  }

  /** Holding the lock. */
  private void roll() throws IOException {
    if (active != null) {
      active.sealed = true;
      Segment old = active;
      active = null;
      closeQuietly(old);
      deleteIfDone(old);
    }
    Path path = directory.resolve(String.format("intake-%012d.journal", nextNumber++));
    active = new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  /** Holding the lock. */
  private static void deleteIfDone(Segment segment) {
    if (segment.sealed && segment.stored >= segment.appended) {
      try {
        Files.deleteIfExists(segment.path);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Journal segment " + segment.path + " is stored and could not be deleted; the next start reads it again and stores nothing twice", e);
      }
    }
  }

  private static void closeQuietly(Segment segment) {
    try {
      segment.channel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing journal segment " + segment.path, e);
    }
  }

  private static boolean readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return false;
      }
    }
    return true;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
