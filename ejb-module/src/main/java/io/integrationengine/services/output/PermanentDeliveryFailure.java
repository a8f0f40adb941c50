package io.integrationengine.services.output;

/**
 * A delivery the destination refused in a way retrying will not change (for example an AE
 * acknowledgement when the destination is configured to dead-letter those): the task goes to the
 * dead-letter queue at once, where an operator can look at it and replay it.
 */
public class PermanentDeliveryFailure extends Exception {

  private static final long serialVersionUID = 1L;

  public PermanentDeliveryFailure(String message) {
    super(message);
  }
}
