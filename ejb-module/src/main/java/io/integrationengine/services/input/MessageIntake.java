package io.integrationengine.services.input;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.MessageTracing;
import io.integrationengine.core.queues.StageQueue;
import io.integrationengine.core.services.MessageRepository;
import io.integrationengine.core.services.UnitOfWork;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every intake handler does with a message it has read: store it in a transaction that
 * commits before the handler answers, then hand it to the routing stage; or store it as rejected.
 *
 * <p>The stored row is the outbox: handing on happens after the commit, outside it, so no
 * two-phase commit of the database and the broker is paid per message. If the broker cannot take
 * the message, or the server dies between commit and send, the message is stored and acknowledged
 * and {@code RoutingRecovery} hands it on after {@code engine.routing.recoverAfterSeconds}.
 */
@ApplicationScoped
public class MessageIntake {

  private static final Logger LOG = Logger.getLogger(MessageIntake.class.getName());

  @Inject
  MessageRepository messages;

  @Inject
  StageQueue stages;

  @Inject
  UnitOfWork work;

  @Inject
  MessageTracing tracing = MessageTracing.off();

  /** On the embedded H2 store, MLLP messages are acknowledged from a journal (null in unit tests: never). */
  @Inject
  JournaledIntake journal;

  public MessageIntake() {}

  /** For tests. */
  public MessageIntake(MessageRepository messages, StageQueue stages, UnitOfWork work) {
    this.messages = messages;
    this.stages = stages;
    this.work = work;
  }

  /** Messages arriving while a commit is written share the next one (see {@link GroupCommit}). */
  private final GroupCommit group = new GroupCommit(64);

  /**
   * Stores the message (durably, before returning; with others that arrive at the same time, in
   * one commit); the commit's messages are then queued for routing together. Throws when it could
   * not be stored.
   */
  public void accept(StoredMessage message) {
    accept(message, null);
  }

  /**
   * Announces a message the caller is reading and will store with {@link #accept(StoredMessage,
   * Arrival)} or not at all: a commit about to be written waits briefly for it (see
   * {@link GroupCommit}). Close it in any case; closing it again after the accept does nothing.
   */
  public Arrival expect() {
    return journaled() ? new Arrival(null) : new Arrival(group.expect());
  }

  private boolean journaled() {
    return journal != null && journal.active();
  }

  /** A message announced by {@link #expect}. */
  public static final class Arrival implements AutoCloseable {
    private final GroupCommit.Arrival arrival;

    private Arrival(GroupCommit.Arrival arrival) {
      this.arrival = arrival;
    }

    @Override
    public void close() {
      if (arrival != null) {
        arrival.close();
      }
    }
  }

  /**
   * Stores an announced message (see {@link #accept(StoredMessage)}); {@code arrival} may be null.
   * An announced message on the embedded H2 store is written to the intake journal instead, and
   * stored from there in larger batches ({@link JournaledIntake}): durable against a crash of the
   * process, as H2's commits are, when this returns.
   */
  public void accept(StoredMessage message, Arrival arrival) {
    Span span = tracing.intake(message);
    try {
      if (arrival != null && arrival.arrival == null && journaled()) {
        journal.accept(message);
      } else {
        group.store(message, arrival == null ? null : arrival.arrival, messages, work, this::handOn);
      }
    } catch (RuntimeException e) {
      MessageTracing.failed(span, "not stored: " + e.getMessage());
      throw e;
    }
    span.end();
  }

  /**
   * Queues stored messages for routing together, on the committing sender's thread: a managed
   * executor's task costs more than the JMS send (its context capture looks up the context
   * providers with a ServiceLoader, through every class loader of the EAR: 15% of the engine's CPU
   * at 660 msg/s when each commit was handed on so). A failure leaves them to routing recovery,
   * never loses them.
   */
  private void handOn(List<StoredMessage> stored) {
    handOn(stages, stored);
  }

  /** Queues stored messages for routing in one hand-over; a failure leaves them to routing recovery (also for {@link JournaledIntake}). */
  static void handOn(StageQueue stages, List<StoredMessage> stored) {
    try {
      stages.toRouting(stored.stream().map(StoredMessage::getId).toList());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, stored.size() + " message(s) are stored but could not be queued for routing now; routing recovery queues them later: "
          + stored.stream().map(m -> m.getId() + " (control id " + m.getControlId() + ")").toList(), e);
    }
  }

  /** Stores a message refused at intake, with the reasons; it is kept for inspection and not processed. Throws when it could not. */
  public void reject(StoredMessage message, String reasons) {
    message.changeStatus(MessageStatus.REJECTED, reasons);
    Span span = tracing.intake(message);
    try {
      work.inNewTransaction(() -> {
        messages.add(message);
        return null;
      });
    } finally {
      MessageTracing.failed(span, "rejected: " + reasons);
    }
  }
}
