package io.integrationengine.it;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import java.io.IOException;
import java.util.Map;

/**
 * An HL7 receiver for MLLP destination tests: HAPI's own server (not our code), recording every
 * message by control id and answering AA, or AE for messages containing a marker.
 */
final class RecordingReceiver implements ReceivingApplication<Message> {

  private final Map<String, String> received;
  private final String rejectMarker;
  private final String rejectReason;

  private RecordingReceiver(Map<String, String> received, String rejectMarker, String rejectReason) {
    this.received = received;
    this.rejectMarker = rejectMarker;
    this.rejectReason = rejectReason;
  }

  /** Starts HAPI's server on {@code port} (TLS through the context's socket factory) and waits until it listens. */
  static HL7Service start(HapiContext hapi, int port, boolean tls, Map<String, String> received, String rejectMarker, String rejectReason)
      throws InterruptedException {
    HL7Service server = hapi.newServer(port, tls);
    server.registerApplication("*", "*", new RecordingReceiver(received, rejectMarker, rejectReason));
    server.startAndWait();
    return server;
  }

  @Override
  public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
    try {
      String text = message.encode();
      received.put(new Terser(message).get("/MSH-10"), text);
      if (rejectMarker != null && text.contains(rejectMarker)) {
        return message.generateACK(AcknowledgmentCode.AE, new HL7Exception(rejectReason, ErrorCode.APPLICATION_INTERNAL_ERROR));
      }
      return message.generateACK();
    } catch (IOException e) {
      throw new HL7Exception(e);
    }
  }

  @Override
  public boolean canProcess(Message message) {
    return true;
  }
}
