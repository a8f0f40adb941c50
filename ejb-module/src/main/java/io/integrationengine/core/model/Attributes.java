package io.integrationengine.core.model;

import java.util.List;

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
  /** PID-3.1, one per repetition; FHIR: a Patient's identifier values */
  public static final String PATIENT_ID = "patientId";
  /** PID-3 as id^^^authority (CX.1 and CX.4.1), one per repetition; FHIR: a Patient's identifiers as system|value */
  public static final String PATIENT_IDENTIFIER = "patientIdentifier";
  /** PID-5.1 and PID-5.2 of the first repetition, as family^given; FHIR: a Patient's first name, the same way */
  public static final String PATIENT_NAME = "patientName";
  /** FHIR: the resource type (also the message type) */
  public static final String RESOURCE_TYPE = "resourceType";
  /** FHIR: the resource's logical id, when it has one */
  public static final String RESOURCE_ID = "resourceId";
  /** FHIR: a Bundle's type (transaction, batch, message, collection) */
  public static final String BUNDLE_TYPE = "bundleType";
  /** FHIR: the patient a resource is about, as its reference ({@code subject} or {@code patient}, e.g. Patient/123) */
  public static final String PATIENT_REFERENCE = "patientReference";

  /**
   * The attributes a message search's {@code text} looks into (besides the control id and the
   * status detail): who the message is about. The senders, receivers, version and types have
   * filters of their own; leaving them out keeps the trigram index that serves the text on
   * PostgreSQL to three of a typical HL7v2 message's eight attribute rows, each of which it cost a
   * write of about ten index entries.
   */
  public static final List<String> TEXT_SEARCHED = List.of(PATIENT_ID, PATIENT_IDENTIFIER, PATIENT_NAME, RESOURCE_ID, PATIENT_REFERENCE);

  private Attributes() {}
}
