package io.integrationengine.core.services;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where message envelopes are kept. Methods join the caller's transaction (see {@link UnitOfWork})
 * or run in one of their own; a message found inside a unit of work is live: changes to it are
 * saved when the unit commits.
 */
public interface MessageRepository {

  /** Stores a new message. */
  void add(StoredMessage message);

  Optional<StoredMessage> find(String id);

  /** The messages with these ids that are stored, with their attributes, in one read; in no particular order. */
  List<StoredMessage> findAll(Collection<String> ids);

  /** Newest first; all statuses when {@code status} is null. */
  List<StoredMessage> latest(MessageStatus status, int limit);

  /** Messages carrying a control id (MSH-10), newest first: several when a sender reuses ids. */
  List<StoredMessage> withControlId(String controlId, int limit);

  /** Messages with an attribute of that value ({@code patientId}, {@code sendingFacility}, ...), newest first. */
  List<StoredMessage> withAttribute(String name, String value, int limit);

  /**
   * Claims messages still waiting for routing that were last handed to it before {@code before}:
   * each one's hand-over time is set to now, conditionally, so that of several instances sweeping
   * at once only one re-sends a message, and the next sweep waits a full period again.
   *
   * @return the ids claimed
   */
  List<String> claimWaitingForRouting(OffsetDateTime before, int limit);
}
