package io.integrationengine.services.input;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.app.DefaultApplication;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import io.integrationengine.mllp.framing.FallbackAck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the acknowledgements intake returns, with HAPI's own ACK generation: MSA-2 echoes the
 * sender's control id and ERR says what went wrong.
 */
@ApplicationScoped
public class Acknowledgements {

  private static final Logger LOG = Logger.getLogger(Acknowledgements.class.getName());

  @Inject
  Hl7Reader reader;

  public Acknowledgements() {}

  Acknowledgements(Hl7Reader reader) {
    this.reader = reader;
  }

  /** AA or CA: the message is stored and will be processed. */
  public String accepted(Message incoming, AcknowledgmentCode code) {
    try {
      return reader.encode(incoming.generateACK(code, null));
    } catch (HL7Exception | IOException e) {
      return fallback(incoming, code == AcknowledgmentCode.CA ? AcknowledgmentCode.CR : AcknowledgmentCode.AR, "ACK could not be built: " + e.getMessage());
    }
  }

  /** AE or AR for a message that parsed, e.g. one the store could not take. */
  public String rejected(Message incoming, AcknowledgmentCode code, String reason) {
    try {
      return reader.encode(incoming.generateACK(code, new HL7Exception(reason, ErrorCode.APPLICATION_INTERNAL_ERROR)));
    } catch (HL7Exception | IOException e) {
      return fallback(incoming, code, reason);
    }
  }

  /**
   * AE (or CE) for a message that parsed but broke rules (a conformance profile): one ERR segment
   * per rule broken, each saying which and where; MSA-3 carries the first.
   */
  public String invalid(Message incoming, AcknowledgmentCode code, List<String> problems) {
    try {
      Message ack = incoming.generateACK(code, error(problems.get(0)));
      for (int i = 1; i < problems.size(); i++) {
        error(problems.get(i)).populateResponse(ack, code, i);
      }
      return reader.encode(ack);
    } catch (HL7Exception | IOException e) {
      return fallback(incoming, code, String.join("; ", problems));
    }
  }

  private static HL7Exception error(String problem) {
    return new HL7Exception(problem, problem.toLowerCase().contains("required") ? ErrorCode.REQUIRED_FIELD_MISSING : ErrorCode.DATA_TYPE_ERROR);
  }

  /** AE (or CE) for text that could not be parsed: answered from its MSH segment if that much can be read. */
  public String unparseable(String text, AcknowledgmentCode code, HL7Exception error) {
    try {
      Segment msh = reader.criticalHeader(text);
      Message ack = DefaultApplication.makeACK(msh);
      error.populateResponse(ack, code, 0);
      return reader.encode(ack);
    } catch (HL7Exception | IOException | RuntimeException e) {
      LOG.log(Level.FINE, "MSH unreadable, answering with a minimal ACK", e);
      return FallbackAck.reject(text, code.name(), describe(error));
    }
  }

  private String fallback(Message incoming, AcknowledgmentCode code, String reason) {
    String text;
    try {
      text = reader.encode(incoming);
    } catch (HL7Exception e) {
      text = "";
    }
    return FallbackAck.reject(text, code.name(), reason);
  }

  /** A one-line explanation of a parse error, for ERR and for the stored message. */
  public static String describe(HL7Exception error) {
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message.replace('\r', ' ').replace('\n', ' ');
  }
}
