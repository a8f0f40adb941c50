package io.integrationengine.core.services;

import io.integrationengine.core.model.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages this instance stored last, as they were stored: routing reads a message moments
 * after its commit, and delivery a moment later, and each read from the store (the envelopes, their
 * attribute rows, the content) was a twelfth of the engine's CPU under MLLP load. Kept up to
 * {@link #MAX_BYTES} of content or {@link #MAX_MESSAGES} messages, the oldest dropped first; what
 * is not here is read from the store as before. Only committed messages are remembered
 * ({@link JpaMessageRepository#addAll}), and each reader gets a copy of its own.
 */
@ApplicationScoped
public class RecentMessages {

  static final long MAX_BYTES = 16L << 20;
  static final int MAX_MESSAGES = 4_096;

  private final long maxBytes;
  private final int maxMessages;
  private final LinkedHashMap<String, StoredMessage> recent = new LinkedHashMap<>();
  private long bytes;

  public RecentMessages() {
    this(MAX_BYTES, MAX_MESSAGES);
  }

  RecentMessages(long maxBytes, int maxMessages) {
    this.maxBytes = maxBytes;
    this.maxMessages = maxMessages;
  }

  /** Remembers committed messages (copies: a later change by their caller is not seen here). */
  public void remember(Collection<StoredMessage> stored) {
    List<StoredMessage> copies = stored.stream().map(StoredMessage::copy).toList();
    synchronized (recent) {
      for (StoredMessage m : copies) {
        StoredMessage before = recent.put(m.getId(), m);
        if (before != null) {
          bytes -= before.contentLength();
        }
        bytes += m.contentLength();
      }
      Iterator<Map.Entry<String, StoredMessage>> oldest = recent.entrySet().iterator();
      while ((bytes > maxBytes || recent.size() > maxMessages) && oldest.hasNext()) {
        bytes -= oldest.next().getValue().contentLength();
        oldest.remove();
      }
    }
  }

  /** Copies of those of the messages that are here, as stored; the ids of the others go to {@code missing}. */
  public List<StoredMessage> copies(Collection<String> ids, Collection<String> missing) {
    List<StoredMessage> found = new ArrayList<>(ids.size());
    synchronized (recent) {
      for (String id : ids) {
        StoredMessage m = recent.get(id);
        if (m == null) {
          missing.add(id);
        } else {
          found.add(m);
        }
      }
    }
    found.replaceAll(StoredMessage::copy);
    return found;
  }

  /** How many messages are remembered (for tests). */
  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }
}
