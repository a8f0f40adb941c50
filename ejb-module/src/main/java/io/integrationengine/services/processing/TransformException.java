package io.integrationengine.services.processing;

/** A transform could not be applied to this message; the message says why, for the analyst. */
public class TransformException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String transform;

  public TransformException(String message) {
    this(null, message, null);
  }

  public TransformException(String message, Throwable cause) {
    this(null, message, cause);
  }

  /** @param transform the name of the transform that failed ({@code toFhir}, {@code map}, ...) */
  public TransformException(String transform, String message, Throwable cause) {
    super(message, cause);
    this.transform = transform;
  }

  /** The name of the transform that failed, or null when not known. */
  public String transform() {
    return transform;
  }
}
