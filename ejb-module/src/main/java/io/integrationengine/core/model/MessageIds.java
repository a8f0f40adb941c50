package io.integrationengine.core.model;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Message ids: UUIDs of version 7 (RFC 9562), whose first 48 bits are the creation time in
 * milliseconds and the rest random. They sort by time, so the store's indexes on message ids (the
 * envelope's key, its attributes', the deliveries') grow at their end instead of at random places:
 * a commit touches a few index pages instead of one per message and index, which is most of what a
 * commit costs in H2's copy-on-write B-trees, and keeps PostgreSQL's indexes compact.
 */
public final class MessageIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private MessageIds() {}

  /** A new id, later than those made in an earlier millisecond on this machine's clock. */
  public static String next() {
    long millis = System.currentTimeMillis();
    long random = RANDOM.nextLong();
    long msb = (millis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
