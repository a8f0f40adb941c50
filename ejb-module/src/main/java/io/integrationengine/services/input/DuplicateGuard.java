package io.integrationengine.services.input;

/**
 * Recognises resends: which control ids each sender has sent within a window. A resend of a
 * stored message is acknowledged again without being processed twice; a resend of one still being
 * stored is asked to try again later.
 */
public interface DuplicateGuard {

  /** What the guard says about a message. */
  sealed interface Verdict permits First, AlreadyStored, InProgress {}

  /** Not seen before (or no record could be kept); {@code key} is null when there is nothing to confirm. */
  record First(String key) implements Verdict {}

  record AlreadyStored(String messageId) implements Verdict {}

  record InProgress(String messageId) implements Verdict {}

  /** Claims the sender's control id for {@code messageId}, unless it was claimed within the window. */
  Verdict claim(String sendingApplication, String sendingFacility, String controlId, String messageId);

  /** The message was stored: resends within the window are acknowledged, not processed. */
  void stored(First claim, String messageId);

  /** The message was not stored: a resend must be processed. */
  void forget(First claim, String messageId);
}
