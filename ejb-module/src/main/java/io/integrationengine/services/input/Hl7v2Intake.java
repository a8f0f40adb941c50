package io.integrationengine.services.input;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.PipelineLog;
import io.integrationengine.core.observability.PipelineMetrics;
import io.integrationengine.core.observability.PipelineMetrics.Rejection;
import io.integrationengine.services.input.AckPolicy.Outcome;
import io.integrationengine.services.processing.ConformanceProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HL7v2 (ER7) intake handler. It stores the bytes as received and answers with an ACK that is
 * positive only once the message is committed and queued for routing. A message whose structure
 * cannot be read, or that breaks its channel's conformance profile, is stored as REJECTED with the
 * reasons and answered AE (CE in enhanced mode) with an ERR segment saying why. A resend of a
 * message already stored (same MSH-3, MSH-4 and MSH-10 within the duplicate window) is
 * acknowledged again and not processed twice.
 */
@ApplicationScoped
public class Hl7v2Intake implements IntakeHandler {

  private static final Logger LOG = Logger.getLogger(Hl7v2Intake.class.getName());

  @Inject
  Hl7Reader reader;

  @Inject
  Acknowledgements acks;

  @Inject
  DuplicateGuard duplicates;

  @Inject
  ChannelRegistry channels;

  @Inject
  MessageIntake intake;

  @Inject
  PipelineMetrics metrics = PipelineMetrics.NONE;

  public Hl7v2Intake() {}

  /** For tests. */
  public Hl7v2Intake(Hl7Reader reader, DuplicateGuard duplicates, ChannelRegistry channels, MessageIntake intake) {
    this.reader = reader;
    this.acks = new Acknowledgements(reader);
    this.duplicates = duplicates;
    this.channels = channels;
    this.intake = intake;
  }

  @Override
  public ContentType contentType() {
    return ContentType.HL7V2_ER7;
  }

  /** Handles the message and counts it: received, then duplicate or rejected (by reason), and the time to answer. */
  @Override
  public IntakeResult receive(Received in) {
    long start = System.nanoTime();
    metrics.received(in.channelId());
    IntakeResult result;
    // announced before it is read, so that a commit about to be written can wait for it
    try (MessageIntake.Arrival arrival = intake.expect()) {
      result = handle(in, arrival);
    }
    metrics.answered(System.nanoTime() - start);
    return result;
  }

  private IntakeResult handle(Received in, MessageIntake.Arrival arrival) {
    Charset charset = in.charset() == null ? StandardCharsets.UTF_8 : in.charset();
    String text = new String(in.bytes(), charset);
    StoredMessage message = StoredMessage.received(in.bytes(), ContentType.HL7V2_ER7, charset, in.channel(), in.remoteAddress());
    try {
      reader.check(text);
    } catch (HL7Exception e) {
      return unreadable(message, in, text, e, arrival);
    }
    Hl7Header header = reader.header(text);
    message.describe(header.attributes());
    AckPolicy policy = AckPolicy.of(in.ackMode(), header.acceptAckType(), header.applicationAckType());

    List<String> violations;
    try {
      Optional<ConformanceProfile> profile = channels.channel(in.channelId()).profileFor(header.messageType());
      // HAPI's typed model is built only when a profile needs it: it costs more than all the rest of intake
      violations = profile.isEmpty() ? List.of() : profile.get().violations(reader.parse(text));
    } catch (HL7Exception e) {
      return unreadable(message, in, text, e, arrival);
    } catch (IllegalStateException e) {
      LOG.severe(e.getMessage());
      metrics.rejected(in.channelId(), Rejection.CHANNEL_CONFIG);
      return new IntakeResult(IntakeResult.Outcome.FAILED, null, List.of(e.getMessage()),
          answer(policy, Outcome.REJECTED, () -> acks.rejected(text, policy.code(Outcome.REJECTED), e.getMessage() + "; resend later")));
    }
    if (!violations.isEmpty()) {
      return invalid(message, in, text, policy, violations, arrival);
    }

    DuplicateGuard.Verdict verdict = duplicates.claim(header.sendingApplication(), header.sendingFacility(), header.controlId(), message.getId());
    if (verdict instanceof DuplicateGuard.AlreadyStored stored) {
      PipelineLog.log(LOG, Level.INFO, "Control id " + header.controlId() + " from " + header.sendingApplication() + "/" + header.sendingFacility()
          + " was stored as message " + stored.messageId() + " already; acknowledged again, not processed",
          PipelineLog.context(stored.messageId(), header.controlId(), in.channel(), null, null));
      metrics.duplicate(in.channelId());
      return new IntakeResult(IntakeResult.Outcome.DUPLICATE, stored.messageId(), List.of(),
          answer(policy, Outcome.ACCEPTED, () -> acks.accepted(text, policy.code(Outcome.ACCEPTED))));
    }
    if (verdict instanceof DuplicateGuard.InProgress) {
      String reason = "Control id " + header.controlId() + " is being stored from an earlier send; resend later";
      metrics.rejected(in.channelId(), Rejection.IN_PROGRESS);
      return new IntakeResult(IntakeResult.Outcome.FAILED, null, List.of(reason), answer(policy, Outcome.REJECTED, () -> acks.rejected(text, policy.code(Outcome.REJECTED), reason)));
    }
    DuplicateGuard.First claim = (DuplicateGuard.First) verdict;
    try {
      intake.accept(message, arrival);
    } catch (RuntimeException e) {
      duplicates.forget(claim, message.getId());
      PipelineLog.log(LOG, Level.SEVERE, "Could not store message " + message.getControlId() + " from " + in.remoteAddress() + " on " + in.channel(), context(message), e);
      metrics.rejected(in.channelId(), Rejection.STORE_FAILED);
      String reason = "The engine could not store the message; resend later";
      return new IntakeResult(IntakeResult.Outcome.FAILED, null, List.of(reason), answer(policy, Outcome.REJECTED, () -> acks.rejected(text, policy.code(Outcome.REJECTED), reason)));
    }
    duplicates.stored(claim, message.getId());
    return new IntakeResult(IntakeResult.Outcome.ACCEPTED, message.getId(), List.of(), answer(policy, Outcome.ACCEPTED, () -> acks.accepted(text, policy.code(Outcome.ACCEPTED))));
  }

  /** Parsed, but breaks its channel's profile: stored as REJECTED, answered AE/CE listing each rule broken. */
  private IntakeResult invalid(StoredMessage message, Received in, String text, AckPolicy policy, List<String> violations, MessageIntake.Arrival arrival) {
    arrival.close(); // stored on its own: no commit waits for it
    String reasons = "Conformance profile violated: " + String.join("; ", violations);
    try {
      intake.reject(message, reasons);
    } catch (RuntimeException e) {
      PipelineLog.log(LOG, Level.SEVERE, "Could not store invalid message " + message.getControlId() + " from " + message.getRemoteAddress(), context(message), e);
      metrics.rejected(in.channelId(), Rejection.STORE_FAILED);
      String reason = reasons + "; the engine could not store it either: resend later";
      return new IntakeResult(IntakeResult.Outcome.FAILED, null, List.of(reason), answer(policy, Outcome.REJECTED, () -> acks.rejected(text, policy.code(Outcome.REJECTED), reason)));
    }
    PipelineLog.log(LOG, Level.INFO, "Rejected message " + message.getId() + " (control id " + message.getControlId() + ") from " + message.getRemoteAddress() + ": " + reasons,
        context(message));
    metrics.rejected(in.channelId(), Rejection.PROFILE);
    return new IntakeResult(IntakeResult.Outcome.INVALID, message.getId(), violations,
        answer(policy, Outcome.CONTENT_ERROR, () -> acks.invalid(text, policy.code(Outcome.CONTENT_ERROR), violations)));
  }

  /** Not readable as HL7v2: stored as REJECTED with the reason, answered from its MSH segment if that much can be read. */
  private IntakeResult unreadable(StoredMessage message, Received in, String text, HL7Exception error, MessageIntake.Arrival arrival) {
    arrival.close(); // stored on its own: no commit waits for it
    String reason = Acknowledgements.describe(error);
    AckPolicy policy = AckPolicy.of(in.ackMode(), null, null);
    try {
      Hl7Header header = reader.header(reader.criticalHeader(text));
      message.describe(header.attributes());
      policy = AckPolicy.of(in.ackMode(), header.acceptAckType(), header.applicationAckType());
    } catch (HL7Exception | RuntimeException unreadable) {
      // not even the MSH segment is readable: stored without attributes, answered in original mode
    }
    AckPolicy chosen = policy;
    try {
      intake.reject(message, reason);
    } catch (RuntimeException e) {
      PipelineLog.log(LOG, Level.SEVERE, "Could not store rejected message from " + message.getRemoteAddress() + " on " + message.getChannel(), context(message), e);
      metrics.rejected(in.channelId(), Rejection.STORE_FAILED);
      String failed = reason + "; the engine could not store it either: resend later";
      return new IntakeResult(IntakeResult.Outcome.FAILED, null, List.of(failed),
          answer(chosen, Outcome.REJECTED, () -> acks.unparseable(text, chosen.code(Outcome.REJECTED), new HL7Exception(failed, ErrorCode.APPLICATION_INTERNAL_ERROR))));
    }
    PipelineLog.log(LOG, Level.INFO, "Rejected message " + message.getId() + " (control id " + message.getControlId() + ") from " + message.getRemoteAddress() + ": " + reason,
        context(message));
    metrics.rejected(in.channelId(), Rejection.UNREADABLE);
    return new IntakeResult(IntakeResult.Outcome.INVALID, message.getId(), List.of(reason),
        answer(chosen, Outcome.CONTENT_ERROR, () -> acks.unparseable(text, chosen.code(Outcome.CONTENT_ERROR), error)));
  }

  private static java.util.Map<String, String> context(StoredMessage message) {
    return PipelineLog.context(message.getId(), message.getControlId(), message.getChannel(), null, null);
  }

  private static String answer(AckPolicy policy, Outcome outcome, Supplier<String> ack) {
    return policy.answers(outcome) ? ack.get() : null;
  }
}
