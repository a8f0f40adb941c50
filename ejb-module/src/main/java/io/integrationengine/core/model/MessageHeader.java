package io.integrationengine.core.model;

/**
 * What the engine reads from an HL7v2 MSH segment (and PID-3 where present) to route and to
 * answer a message.
 */
public record MessageHeader(
    String sendingApplication,
    String sendingFacility,
    String receivingApplication,
    String receivingFacility,
    String controlId,
    String messageCode,
    String triggerEvent,
    String version,
    String acceptAckType,
    String applicationAckType,
    String patientId) {

  /** MSH-9 as {@code code^trigger}, or just the code when there is no trigger. */
  public String messageType() {
    if (messageCode == null || messageCode.isEmpty()) {
      return null;
    }
    return triggerEvent == null || triggerEvent.isEmpty() ? messageCode : messageCode + "^" + triggerEvent;
  }
}
