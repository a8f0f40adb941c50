package io.integrationengine.services.processing;

/** A transform could not be applied to this message; the message says why, for the analyst. */
public class TransformException extends Exception {

  private static final long serialVersionUID = 1L;

  public TransformException(String message) {
    super(message);
  }

  public TransformException(String message, Throwable cause) {
    super(message, cause);
  }
}
