package io.integrationengine.mllp.api;

/** Sending over MLLP failed; {@link #kind()} says how, so a caller can decide to retry. */
public class MllpSendException extends Exception {

  private static final long serialVersionUID = 1L;

  /** How a send failed. */
  public enum Kind {
    /** No connection could be made. */
    CONNECT,
    /** Connected, but no acknowledgement came within the response timeout. */
    TIMEOUT,
    /** The connection broke while sending or waiting. */
    BROKEN,
    /** An answer came that is not an ACK of the message sent. */
    INVALID_ACK
  }

  private final Kind kind;

  public MllpSendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
