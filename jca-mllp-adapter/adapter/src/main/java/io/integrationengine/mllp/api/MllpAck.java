package io.integrationengine.mllp.api;

import java.io.Serializable;

/**
 * A receiver's acknowledgement.
 *
 * @param code MSA-1: AA, AE, AR, CA, CE or CR
 * @param controlId MSA-2, the control id of the message it answers
 * @param text MSA-3 and ERR text if any, for logs and delivery records
 * @param raw the whole ACK
 */
public record MllpAck(String code, String controlId, String text, String raw) implements Serializable {

  /** AA or CA. */
  public boolean accepted() {
    return "AA".equals(code) || "CA".equals(code);
  }

  /** AR or CR: the receiver could not take it now (HL7: may be resent). */
  public boolean rejected() {
    return "AR".equals(code) || "CR".equals(code);
  }
}
