package io.integrationengine.mllp.api;

/**
 * The message listener type of the MLLP resource adapter: a message-driven bean implementing it
 * receives every HL7v2 message framed on the listener it is activated on, and returns the
 * acknowledgement to write back to the sender.
 *
 * <p>The adapter writes the returned text only after this method returns, so a bean that
 * commits its work before returning acknowledges only what is safely stored. If the method throws
 * or does not return within the listener's {@code endpointTimeoutMillis}, the adapter answers the
 * sender with a negative acknowledgement itself: the sender never waits in silence.
 */
public interface MllpMessageListener {

  /**
   * Handles one message.
   *
   * @param message the decoded frame and where it came from
   * @return the acknowledgement (ER7 text, segments separated by carriage returns), or
   *     {@code null} when the sender asked for none (enhanced mode, MSH-15 {@code NE}, {@code ER}
   *     or {@code SU}): then nothing is written
   */
  String onMessage(MllpInboundMessage message);
}
