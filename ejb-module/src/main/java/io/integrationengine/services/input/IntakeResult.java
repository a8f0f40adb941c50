package io.integrationengine.services.input;

import java.util.List;

/**
 * What intake did with a message, and what to answer the sender.
 *
 * @param messageId the stored message's id; null when it could not be stored, or for a resend
 *     answered from the first copy
 * @param reasons why it was refused, for the answer and the log; empty when accepted
 * @param reply the format's answer (an HL7v2 ACK), or null when the sender asked for none
 */
public record IntakeResult(Outcome outcome, String messageId, List<String> reasons, String reply) {

  /** What happened at intake. */
  public enum Outcome {
    /** Stored and queued for routing. */
    ACCEPTED,
    /** A resend of a message already stored: answered as before, not processed again. */
    DUPLICATE,
    /** Refused for its content (unreadable, failing its profile): stored as REJECTED with the reasons. */
    INVALID,
    /** Could not be taken now (store down, same message still being stored): the sender should resend. */
    FAILED
  }
}
