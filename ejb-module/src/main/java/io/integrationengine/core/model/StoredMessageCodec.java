package io.integrationengine.core.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A new message as bytes and back, every column {@link StoredMessageRows#insert} writes: the
 * intake journal's record of a message acknowledged before its row is written. The content is
 * kept byte for byte; times to the nanosecond, in UTC as the store keeps them.
 */
public final class StoredMessageCodec {

  private static final int VERSION = 1;

  private StoredMessageCodec() {}

  public static byte[] encode(StoredMessage m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.content.length + 512);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeText(out, m.id);
      writeTime(out, m.receivedAt);
      writeTime(out, m.updatedAt);
      writeTime(out, m.queuedAt);
      writeText(out, m.channel);
      writeText(out, m.remoteAddress);
      writeText(out, m.parentId);
      out.writeBoolean(m.recordNumber != null);
      if (m.recordNumber != null) {
        out.writeLong(m.recordNumber);
      }
      writeText(out, m.contentType.name());
      writeText(out, m.charset);
      writeText(out, m.controlId);
      writeText(out, m.messageType);
      writeText(out, m.status.name());
      writeText(out, m.statusDetail);
      writeText(out, m.traceParent);
      out.writeInt(m.attributes.size());
      for (MessageAttribute a : m.attributes) {
        writeText(out, a.getName());
        writeText(out, a.getValue());
      }
      out.writeInt(m.content.length);
      out.write(m.content);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** Throws {@link IOException} for bytes that are not a record of this version. */
  public static StoredMessage decode(byte[] record) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record));
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("journal record of version " + version + ", this engine reads version " + VERSION);
    }
    StoredMessage m = new StoredMessage();
    m.id = readText(in);
    m.receivedAt = readTime(in);
    m.updatedAt = readTime(in);
    m.queuedAt = readTime(in);
    m.channel = readText(in);
    m.remoteAddress = readText(in);
    m.parentId = readText(in);
    m.recordNumber = in.readBoolean() ? in.readLong() : null;
    m.contentType = ContentType.valueOf(readText(in));
    m.charset = readText(in);
    m.controlId = readText(in);
    m.messageType = readText(in);
    m.status = MessageStatus.valueOf(readText(in));
    m.statusDetail = readText(in);
    m.traceParent = readText(in);
    int attributes = in.readInt();
    for (int i = 0; i < attributes; i++) {
      m.attributes.add(new MessageAttribute(readText(in), readText(in)));
    }
    m.content = new byte[in.readInt()];
    in.readFully(m.content);
    return m;
  }

  private static void writeText(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static void writeTime(DataOutputStream out, OffsetDateTime time) throws IOException {
    Instant instant = time.toInstant();
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static OffsetDateTime readTime(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt()).atOffset(ZoneOffset.UTC);
  }
}
