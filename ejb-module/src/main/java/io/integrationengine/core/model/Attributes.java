package io.integrationengine.core.model;

/**
 * The names of the attributes intake reads into the envelope. Route conditions read them as
 * {@code @name}; the message API searches them with {@code ?attribute=name:value}.
 */
public final class Attributes {

  /** MSH-3.1 */
  public static final String SENDING_APPLICATION = "sendingApplication";
  /** MSH-4.1 */
  public static final String SENDING_FACILITY = "sendingFacility";
  /** MSH-5.1 */
  public static final String RECEIVING_APPLICATION = "receivingApplication";
  /** MSH-6.1 */
  public static final String RECEIVING_FACILITY = "receivingFacility";
  /** MSH-9 as code^trigger; the FHIR resource type. */
  public static final String MESSAGE_TYPE = "messageType";
  /** MSH-10 */
  public static final String CONTROL_ID = "controlId";
  /** MSH-12.1 */
  public static final String VERSION = "version";
  /** PID-3.1, one per repetition */
  public static final String PATIENT_ID = "patientId";
  /** PID-3 as id^^^authority (CX.1 and CX.4.1), one per repetition */
  public static final String PATIENT_IDENTIFIER = "patientIdentifier";
  /** PID-5.1 and PID-5.2 of the first repetition, as family^given */
  public static final String PATIENT_NAME = "patientName";

  private Attributes() {}
}
