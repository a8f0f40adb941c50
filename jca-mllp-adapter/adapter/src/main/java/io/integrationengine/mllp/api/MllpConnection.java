package io.integrationengine.mllp.api;

/** A connection to one MLLP receiver, from {@link MllpConnectionFactory}. Not thread-safe: one sender at a time. */
public interface MllpConnection extends AutoCloseable {

  /**
   * Sends one message and waits for its acknowledgement, which must answer the message sent (MSA-2
   * equal to its MSH-10).
   *
   * @throws MllpSendException when the message could not be sent or no matching ACK came back in time
   */
  MllpAck send(String message) throws MllpSendException;

  /**
   * Sends one message as the given bytes, unchanged (the caller has put CR between segments), and
   * reads the acknowledgement in the message's MSH-18 charset or the pool's default.
   *
   * @throws MllpSendException when the message could not be sent or no matching ACK came back in time
   */
  MllpAck send(byte[] message) throws MllpSendException;

  /** Returns the connection to the pool. */
  @Override
  void close();
}
