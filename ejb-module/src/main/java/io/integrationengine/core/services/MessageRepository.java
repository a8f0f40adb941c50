package io.integrationengine.core.services;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where message envelopes are kept. Methods join the caller's transaction (see {@link UnitOfWork})
 * or run in one of their own; a message got by {@link #find} inside a unit of work is live: changes
 * to it are saved when the unit commits (those of {@link #findAll} are copies).
 */
public interface MessageRepository {

  /** Stores a new message. */
  void add(StoredMessage message);

  /** Stores new messages, together: a batch is written at once or, if one is refused, not at all. */
  default void addAll(List<StoredMessage> batch) {
    batch.forEach(this::add);
  }

  Optional<StoredMessage> find(String id);

  /**
   * The messages with these ids that are stored, with their attributes, in one read; in no
   * particular order. They are copies, also inside a unit of work: a status changed on them is
   * saved by {@link #saveStatuses}.
   */
  List<StoredMessage> findAll(Collection<String> ids);

  /**
   * As {@link #findAll}, but a message this instance stored moments ago may come from memory, as it
   * was stored: a status changed since then is not seen. For the stages that read messages right
   * after they were stored and change them only conditionally (routing's {@link #saveStatuses}) or
   * read only what never changes (delivery: the content and where it came from).
   */
  default List<StoredMessage> findAllRecent(Collection<String> ids) {
    return findAll(ids);
  }

  /**
   * Saves the status (and its detail and time) of messages read by {@link #findAll}, each only if
   * its stored status is still {@code expected}: of two stages changing a message at once, one wins.
   *
   * @return the ids of the messages saved
   */
  Set<String> saveStatuses(Collection<StoredMessage> changed, MessageStatus expected);

  /** Newest first; all statuses when {@code status} is null. */
  List<StoredMessage> latest(MessageStatus status, int limit);

  /** Messages carrying a control id (MSH-10), newest first: several when a sender reuses ids. */
  List<StoredMessage> withControlId(String controlId, int limit);

  /** Messages with an attribute of that value ({@code patientId}, {@code sendingFacility}, ...), newest first. */
  List<StoredMessage> withAttribute(String name, String value, int limit);

  /**
   * What the operators' message browser searches by; null or blank fields do not filter.
   *
   * @param patient a patient identifier (PID-3 CX.1, or CX.1^^^CX.4.1) exactly, or the start of a
   *     name (PID-5 family^given, case ignored)
   * @param messageType {@code ADT^A01}, or {@code ADT} for every ADT event
   * @param sender the sending application or facility (MSH-3, MSH-4)
   * @param text found in the control id, the status detail or any attribute, case ignored (on
   *     PostgreSQL through trigram indexes, which need {@value #MIN_TEXT} characters: see
   *     {@link #shortTextAlone})
   */
  record Search(String controlId, String patient, String messageType, MessageStatus status, String channel, String sender, OffsetDateTime from,
      OffsetDateTime to, String text) {

    /** The shortest text searched for on its own: a trigram index has nothing to look up in a shorter one. */
    public static final int MIN_TEXT = 3;

    /**
     * A text shorter than {@value #MIN_TEXT} characters and no other filter: a search that reads
     * every stored message (4 s over 1,000,000 on PostgreSQL), which the API refuses.
     */
    public boolean shortTextAlone() {
      return given(text) && text.strip().length() < MIN_TEXT && status == null && from == null && to == null
          && Stream.of(controlId, patient, messageType, channel, sender).noneMatch(Search::given);
    }

    private static boolean given(String value) {
      return value != null && !value.isBlank();
    }
  }

  /** Messages matching every filter given, newest first. */
  List<StoredMessage> search(Search search, int limit);

  /**
   * Claims messages still waiting for routing that were last handed to it before {@code before}:
   * each one's hand-over time is set to now, conditionally, so that of several instances sweeping
   * at once only one re-sends a message, and the next sweep waits a full period again.
   *
   * @return the ids claimed
   */
  List<String> claimWaitingForRouting(OffsetDateTime before, int limit);
}
