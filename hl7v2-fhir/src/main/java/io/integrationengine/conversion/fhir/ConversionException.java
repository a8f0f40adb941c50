package io.integrationengine.conversion.fhir;

/**
 * The message cannot be converted at all (not ER7, no MSH, unparsable segment). Partial problems
 * inside a message are not exceptions: they become notes in the {@link ConversionResult}.
 */
public class ConversionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }

  public ConversionException(String message, Throwable cause) {
    super(message, cause);
  }
}
