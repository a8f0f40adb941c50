package io.integrationengine.services.input;

import ca.uhn.hl7v2.AcknowledgmentCode;

/**
 * Which acknowledgement a message gets, by HL7's rules: original mode (AA/AE/AR) unless MSH-15 or
 * MSH-16 is valued, then enhanced mode, where the accept acknowledgement (CA/CE/CR) is sent as
 * MSH-15 asks: AL always (also when empty), NE never, ER only on error, SU only on success. A
 * listener can force one mode ({@code original} or {@code enhanced}).
 *
 * <p>Application acknowledgements (MSH-16) are not sent back on the connection: in enhanced mode
 * they travel as messages of their own, which a route can produce.
 */
public record AckPolicy(boolean enhanced, String acceptAckType) {

  public static AckPolicy of(String listenerMode, String msh15, String msh16) {
    boolean valued = notEmpty(msh15) || notEmpty(msh16);
    boolean enhanced = switch (listenerMode == null ? "auto" : listenerMode) {
      case "original" -> false;
      case "enhanced" -> true;
      default -> valued;
    };
    String type = notEmpty(msh15) ? msh15.strip().toUpperCase() : "AL";
    return new AckPolicy(enhanced, type);
  }

  /** The code for a message that was stored (success), failed on its content, or could not be taken. */
  public AcknowledgmentCode code(Outcome outcome) {
    return switch (outcome) {
      case ACCEPTED -> enhanced ? AcknowledgmentCode.CA : AcknowledgmentCode.AA;
      case CONTENT_ERROR -> enhanced ? AcknowledgmentCode.CE : AcknowledgmentCode.AE;
      case REJECTED -> enhanced ? AcknowledgmentCode.CR : AcknowledgmentCode.AR;
    };
  }

  /** False when the sender asked for no accept acknowledgement in this case. */
  public boolean answers(Outcome outcome) {
    if (!enhanced) {
      return true;
    }
    return switch (acceptAckType) {
      case "NE" -> false;
      case "ER" -> outcome != Outcome.ACCEPTED;
      case "SU" -> outcome == Outcome.ACCEPTED;
      default -> true;
    };
  }

  /** What happened to a message at intake. */
  public enum Outcome {
    ACCEPTED,
    CONTENT_ERROR,
    REJECTED
  }

  private static boolean notEmpty(String value) {
    return value != null && !value.isBlank();
  }
}
