package io.integrationengine.services.input.file.sftp;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The file id of a remote file, the same each time the same file is seen: a version 7 UUID whose
 * time is the file's modification time and whose other bits are a SHA-256 of the channel, the
 * remote path, the size and the modification time. A file downloaded a second time (the server
 * stopped after the download, before the remote file was archived) gets the id it got the first
 * time, which is how the poller finds the first copy in {@code work/} or the file's job.
 */
final class SftpFileIds {

  private SftpFileIds() {}

  static String of(String channel, String remotePath, long size, long modifiedMillis) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest((channel + '\0' + remotePath + '\0' + size + '\0' + modifiedMillis).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long millis = Math.max(0, modifiedMillis) & 0xFFFF_FFFF_FFFFL;
    long msb = (millis << 16) | 0x7000L | (bits.getShort() & 0x0FFFL);
    long lsb = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }
}
