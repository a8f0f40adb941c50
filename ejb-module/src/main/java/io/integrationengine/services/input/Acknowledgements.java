package io.integrationengine.services.input;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.app.DefaultApplication;
import ca.uhn.hl7v2.model.Message;
import io.integrationengine.mllp.framing.FallbackAck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.ZonedDateTime;
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

  /**
   * AA or CA: the message is stored and will be processed. Built, like every answer here, from the
   * message's MSH segment alone, so no full parse is needed; a plain header is answered without
   * HAPI's model ({@link AcceptAck}, the same ACK at a fraction of the cost).
   */
  public String accepted(String incoming, AcknowledgmentCode code) {
    String plain = AcceptAck.of(incoming, code.name(), Hl7Reader.ackControlId(), ZonedDateTime.now());
    if (plain != null) {
      return plain;
    }
    try {
      return reader.encode(reader.headerOnly(incoming).generateACK(code, null));
    } catch (HL7Exception | IOException | RuntimeException e) {
      return FallbackAck.reject(incoming, code == AcknowledgmentCode.CA ? "CR" : "AR", "ACK could not be built: " + e.getMessage() + "; resend later");
    }
  }

  /** AE or AR for a message that was read, e.g. one the store could not take. */
  public String rejected(String incoming, AcknowledgmentCode code, String reason) {
    return answer(incoming, code, List.of(new HL7Exception(reason, ErrorCode.APPLICATION_INTERNAL_ERROR)));
  }

  /**
   * AE (or CE) for a message that was read but broke rules (a conformance profile): one ERR
   * repetition or segment per rule broken, each saying which and where.
   */
  public String invalid(String incoming, AcknowledgmentCode code, List<String> problems) {
    return answer(incoming, code, problems.stream().map(Acknowledgements::error).toList());
  }

  private static HL7Exception error(String problem) {
    return new HL7Exception(problem, problem.toLowerCase().contains("required") ? ErrorCode.REQUIRED_FIELD_MISSING : ErrorCode.DATA_TYPE_ERROR);
  }

  /** AE (or CE) for text that could not be parsed: answered from its MSH segment if that much can be read. */
  public String unparseable(String text, AcknowledgmentCode code, HL7Exception error) {
    return answer(text, code, List.of(error));
  }

  private String answer(String incoming, AcknowledgmentCode code, List<HL7Exception> errors) {
    try {
      Message ack;
      try {
        ack = reader.headerOnly(incoming).generateACK(code, null);
      } catch (HL7Exception | IOException | RuntimeException unusualHeader) {
        // an MSH HAPI cannot take as a message: answer from its critical fields (control id, version)
        ack = DefaultApplication.makeACK(reader.criticalHeader(incoming));
      }
      for (int i = 0; i < errors.size(); i++) {
        errors.get(i).populateResponse(ack, code, i);
      }
      return reader.encode(ack);
    } catch (HL7Exception | IOException | RuntimeException e) {
      LOG.log(Level.FINE, "MSH unreadable, answering with a minimal ACK", e);
      return FallbackAck.reject(incoming, code.name(), String.join("; ", errors.stream().map(Acknowledgements::describe).toList()));
    }
  }

  /** A one-line explanation of a parse error, for ERR and for the stored message. */
  public static String describe(HL7Exception error) {
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message.replace('\r', ' ').replace('\n', ' ');
  }
}
