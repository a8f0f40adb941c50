package io.integrationengine.services.output;

import io.integrationengine.fakes.RecordingMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.DeliveryAttempt;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.fakes.InMemoryDeliveryLog;
import io.integrationengine.fakes.InMemoryDeliveryQueue;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.routing.RouteRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {

  private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
  private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
  private final MapDefinitionSource definitions = new MapDefinitionSource();
  private final RecordingConnector connector = new RecordingConnector();

  /** A connector that keeps what it was given and fails as told. */
  static final class RecordingConnector implements DestinationConnector {
    final List<OutboundMessage> sent = new ArrayList<>();
    int failuresLeft;
    boolean permanent;
    /** Messages whose text contains this fail, as long as it is set. */
    String failWhenContains;

    @Override
    public String type() {
      return "recording";
    }

    @Override
    public String deliver(OutboundMessage message, DestinationDefinition destination) throws Exception {
      if (failWhenContains != null && message.content().text().contains(failWhenContains)) {
        throw permanent ? new PermanentDeliveryFailure("receiver says AE: unknown patient") : new java.io.IOException("connection refused");
      }
      if (failuresLeft > 0) {
        failuresLeft--;
        throw permanent ? new PermanentDeliveryFailure("receiver says AE: unknown patient") : new java.io.IOException("connection refused");
      }
      sent.add(message);
      return "recorded:" + message.messageId();
    }
  }

  /** {@code upper()}: the text in capitals; {@code fail()}: always fails. */
  static final class TestTransformers {
    static Transformer upper() {
      return new Transformer() {
        @Override
        public String name() {
          return "upper";
        }

        @Override
        public io.integrationengine.services.processing.TransformStep prepare(List<String> arguments, LookupTables tables) {
          return in -> in.withText(in.text().toUpperCase(), in.type());
        }
      };
    }

    static Transformer fail() {
      return new Transformer() {
        @Override
        public String name() {
          return "fail";
        }

        @Override
        public io.integrationengine.services.processing.TransformStep prepare(List<String> arguments, LookupTables tables) {
          return in -> {
            throw new TransformException("no mapping for facility X");
          };
        }
      };
    }
  }

  private DeliveryWorker worker() {
    definitions.define("destinations", "d", "type", "recording", "maxAttempts", "3", "initialBackoffMillis", "1", "maxBackoffMillis", "2");
    return new DeliveryWorker(queue, new DestinationRegistry(definitions), new RouteRegistry(definitions, List.of(TestTransformers.upper(), TestTransformers.fail())),
        messages, deliveries, new io.integrationengine.fakes.TrackingUnitOfWork(), List.of(connector));
  }

  private StoredMessage stored(String text) {
    StoredMessage m = StoredMessage.received(text.getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1, "test", null);
    m.describe(List.of(new MessageAttribute(Attributes.CONTROL_ID, "CTRL1")));
    messages.add(m);
    return m;
  }

  private void plan(StoredMessage m, String route) {
    plan(m, route, null);
  }

  private void plan(StoredMessage m, String route, String orderKey) {
    deliveries.plan(List.of(new DeliveryRecord(m.getId(), route, "d", orderKey)));
    queue.enqueue(List.of(DeliveryTask.create(m.getId(), route, "d", orderKey)));
  }

  /** Drains every lane of destination d, as the scheduler does; returns how many tasks were handled. */
  private int drain(DeliveryWorker worker) {
    int handled = 0;
    for (int lane = 0; lane < DeliveryQueue.LANES; lane++) {
      handled += worker.drain("d", List.of(lane), 100);
    }
    return handled;
  }

  private void recover() {
    for (int lane = 0; lane < DeliveryQueue.LANES; lane++) {
      queue.recoverInflight("d", lane);
    }
  }

  /** The text of each message sent, in order. */
  private List<String> sentTexts() {
    return connector.sent.stream().map(s -> s.content().text()).toList();
  }

  @Test
  void deliversTheStoredBytesUnchangedWhenTheRouteHasNoTransforms() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|A|B\rPID|1||1||M\u00fcller\r");
    plan(m, "r");

    assertThat(drain(worker)).isEqualTo(1);

    assertThat(connector.sent).singleElement().satisfies(s -> {
      assertThat(s.content().bytes()).isEqualTo(m.getContent());
      assertThat(s.controlId()).isEqualTo("CTRL1");
    });
    DeliveryRecord record = deliveries.get(m.getId(), "d");
    assertThat(record.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(record.getTarget()).isEqualTo("recorded:" + m.getId());
    assertThat(record.sentContent()).isNull();
    assertThat(queue.inflight("d")).isEmpty();
    // the record shows the success: no attempt row on the happy path
    assertThat(deliveries.attemptsFor(m.getId())).isEmpty();
  }

  @Test
  void runsTheRoutesTransformsForTheDestinationAndKeepsWhatWasSent() {
    definitions.define("routes", "r", "destinations", "d", "transforms", "upper()");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");

    drain(worker);

    assertThat(connector.sent.get(0).content().text()).isEqualTo("MSH|^~\\&|A|B\r");
    Content kept = deliveries.get(m.getId(), "d").sentContent();
    assertThat(kept.text()).isEqualTo("MSH|^~\\&|A|B\r");
    assertThat(m.content().text()).isEqualTo("MSH|^~\\&|a|b\r");
  }

  @Test
  void aFailingTransformIsDeadLetteredAtOnceWithTheReason() {
    definitions.define("routes", "r", "destinations", "d", "transforms_d", "fail()");
    DeliveryWorker worker = worker();
    RecordingMetrics metrics = new RecordingMetrics();
    worker.metrics = metrics;
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");

    drain(worker);

    assertThat(connector.sent).isEmpty();
    DeliveryRecord record = deliveries.get(m.getId(), "d");
    assertThat(record.getStatus()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(record.getLastError()).contains("no mapping for facility X");
    assertThat(queue.dead.get("d")).hasSize(1);
    assertThat(metrics.all()).containsOnly(java.util.Map.entry("transformFailed fail", 1), java.util.Map.entry("delivery d dead", 1));
  }

  @Test
  void aSendFailureIsRetriedThenDeadLettered() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    connector.failuresLeft = 10;
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");

    for (int attempt = 0; attempt < 3; attempt++) {
      queue.promoteDue("d");
      drain(worker);
    }

    DeliveryRecord record = deliveries.get(m.getId(), "d");
    assertThat(record.getStatus()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(record.getAttempts()).isEqualTo(3);
    assertThat(record.getLastError()).contains("connection refused");
    assertThat(queue.all("d")).singleElement().satisfies(t -> assertThat(t.attempts()).isEqualTo(3));
    assertThat(deliveries.attemptsFor(m.getId())).extracting(DeliveryAttempt::getAttempt, DeliveryAttempt::getStatus)
        .containsExactly(tuple(1, DeliveryStatus.RETRYING), tuple(2, DeliveryStatus.RETRYING), tuple(3, DeliveryStatus.DEAD));
    assertThat(deliveries.attemptsFor(m.getId())).allSatisfy(a -> {
      assertThat(a.getError()).contains("connection refused");
      assertThat(a.getDestination()).isEqualTo("d");
      assertThat(a.getRoute()).isEqualTo("r");
    });
  }

  @Test
  void aPermanentFailureIsDeadLetteredAtTheFirstAttempt() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    connector.failuresLeft = 1;
    connector.permanent = true;
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");

    drain(worker);

    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(queue.dead.get("d")).hasSize(1);
  }

  @Test
  void aDeliveryRecordedAsDeliveredIsNeverRetriedWhenRedisFailsAfterwards() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");
    // Redis goes away between recording the delivery and settling the task
    queue.failNext("settle", 1);

    assertThatThrownBy(() -> drain(worker)).hasMessageContaining("Redis unreachable");
    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(queue.delayedCount("d")).isZero();

    // Redis is back: the scheduler recovers the in-flight task, and the worker skips it
    recover();
    drain(worker);

    assertThat(connector.sent).hasSize(1);
    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(queue.all("d")).isEmpty();
  }

  @Test
  void outcomesTheDatabaseRollsBackForAConflictAreRecordedAgainNotDeliveredAgain() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");
    // the QUEUED marking held the record: the database picks the outcome's transaction as a deadlock victim, twice
    deliveries.conflictsBeforeRecord = 2;

    assertThat(drain(worker)).isEqualTo(1);

    assertThat(connector.sent).hasSize(1);
    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(queue.all("d")).isEmpty();
  }

  @Test
  void outcomesStillInConflictAfterEveryAttemptLeaveTheTaskToRecovery() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r");
    deliveries.conflictsBeforeRecord = io.integrationengine.core.services.DatabaseConflicts.ATTEMPTS;

    assertThatThrownBy(() -> drain(worker)).hasRootCauseInstanceOf(java.sql.SQLTransactionRollbackException.class);
    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(queue.all("d")).hasSize(1);
  }

  @Test
  void aTaskForAMessageNotInTheStoreIsDeadLettered() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    queue.enqueue(List.of(DeliveryTask.create("missing", "r", "d", null)));

    drain(worker);

    assertThat(queue.dead.get("d")).singleElement().satisfies(t -> assertThat(t.lastError()).contains("not in the store"));
  }

  @Test
  void aMessageWaitingForItsRetryHoldsBackOnlyTheLaterMessagesOfItsKey() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    List<String> sequence = List.of("P1 first", "P2 first", "P1 second", "P2 second", "P1 third");
    for (String text : sequence) {
      plan(stored("MSH|^~\\&|a|b\rPID|1||" + text + "\r"), "r", text.substring(0, 2));
    }
    connector.failWhenContains = "P1 first";

    drain(worker);

    assertThat(sentTexts()).as("the other patient goes on").hasSize(2).allSatisfy(t -> assertThat(t).contains("P2"));
    assertThat(queue.heldCount("d")).as("P1's later messages wait behind its first").isEqualTo(2);
    assertThat(queue.delayedCount("d")).isEqualTo(1);

    // the receiver takes P1's first message at its retry: P1's messages follow, in order
    connector.failWhenContains = null;
    queue.promoteDue("d");
    drain(worker);
    drain(worker);

    assertThat(sentTexts().stream().filter(t -> t.contains("P1")).map(t -> t.substring(t.indexOf("P1")).trim()).toList())
        .containsExactly("P1 first", "P1 second", "P1 third");
    assertThat(queue.all("d")).isEmpty();
  }

  @Test
  void aDeadLetteredMessageReleasesItsKey() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    plan(stored("MSH|^~\\&|a|b\rPID|1||P1 poison\r"), "r", "P1");
    plan(stored("MSH|^~\\&|a|b\rPID|1||P1 next\r"), "r", "P1");
    connector.failWhenContains = "poison";
    connector.permanent = true;

    drain(worker);

    assertThat(queue.dead.get("d")).hasSize(1);
    assertThat(sentTexts()).singleElement().satisfies(t -> assertThat(t).contains("P1 next"));
  }

  @Test
  void messagesWithoutAKeyAreNotHeldBackByAFailure() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    plan(stored("MSH|^~\\&|a|b\rPID|1||fails\r"), "r", null);
    plan(stored("MSH|^~\\&|a|b\rPID|1||goes\r"), "r", null);
    connector.failWhenContains = "fails";

    drain(worker);

    assertThat(sentTexts()).singleElement().satisfies(t -> assertThat(t).contains("goes"));
    assertThat(queue.heldCount("d")).isZero();
  }

  @Test
  void tasksRecoveredAfterACrashAreTakenFirstInTheirOrder() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    for (String text : List.of("P1 one", "P1 two", "P1 three")) {
      plan(stored("MSH|^~\\&|a|b\rPID|1||" + text + "\r"), "r", "P1");
    }
    int lane = DeliveryQueue.laneOf(DeliveryTask.create("x", "r", "d", "P1"));
    // a worker took two tasks and died before settling them
    queue.claim("d", lane, 2);
    plan(stored("MSH|^~\\&|a|b\rPID|1||P1 four\r"), "r", "P1");

    recover();
    drain(worker);

    assertThat(sentTexts().stream().map(t -> t.substring(t.indexOf("P1")).trim()).toList()).containsExactly("P1 one", "P1 two", "P1 three", "P1 four");
  }

  @Test
  void oneWorkerDrainsSeveralLanesInOneBatch() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    for (int i = 0; i < 16; i++) {
      plan(stored("MSH|^~\\&|a|b\rPID|1||P" + i + "\r"), "r", "P" + i);
    }
    List<Integer> all = java.util.stream.IntStream.range(0, DeliveryQueue.LANES).boxed().toList();

    assertThat(worker.drain("d", all, 100)).isEqualTo(16);
    assertThat(connector.sent).hasSize(16);
  }

  @Test
  void aTaskQueuedTwiceByRecoveryIsDeliveredOnce() {
    definitions.define("routes", "r", "destinations", "d");
    DeliveryWorker worker = worker();
    StoredMessage m = stored("MSH|^~\\&|a|b\r");
    plan(m, "r", "P1");
    // recovery found the record still PENDING (not yet marked) and queued it again
    queue.enqueue(List.of(DeliveryTask.create(m.getId(), "r", "d", "P1")));

    drain(worker);
    queue.enqueue(List.of(DeliveryTask.create(m.getId(), "r", "d", "P1")));
    drain(worker);

    assertThat(connector.sent).hasSize(1);
    assertThat(queue.all("d")).isEmpty();
  }

  @Test
  void deliveryStatusesOnlyMoveForward() {
    DeliveryRecord record = new DeliveryRecord("m", "r", "d");
    assertThat(record.record(DeliveryStatus.QUEUED, 0, null, null)).isTrue();
    assertThat(record.record(DeliveryStatus.RETRYING, 1, "x", null)).isTrue();
    assertThat(record.record(DeliveryStatus.RETRYING, 2, "y", null)).isTrue();
    assertThat(record.record(DeliveryStatus.DELIVERED, 3, null, "t")).isTrue();
    assertThat(record.record(DeliveryStatus.RETRYING, 4, "late failure", null)).isFalse();
    assertThat(record.record(DeliveryStatus.PENDING, 0, null, null)).isFalse();
    assertThat(record.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(record.getAttempts()).isEqualTo(3);
  }

  @Test
  void outcomesAreCountedOncePerAttemptAndADeliveryOnceHoweverOftenItIsQueued() {
    definitions.define("routes", "r", "destinations", "d");
    RecordingMetrics metrics = new RecordingMetrics();
    DeliveryWorker worker = worker();
    worker.metrics = metrics;
    connector.failuresLeft = 1;
    StoredMessage retried = stored("MSH|^~\\&|a|b\r");
    plan(retried, "r");
    drain(worker);
    queue.promoteDue("d");
    drain(worker);
    StoredMessage twice = stored("MSH|^~\\&|c|d\r");
    plan(twice, "r", "P9");
    queue.enqueue(List.of(DeliveryTask.create(twice.getId(), "r", "d", "P9")));
    drain(worker);
    connector.failuresLeft = 1;
    connector.permanent = true;
    plan(stored("MSH|^~\\&|e|f\r"), "r");
    drain(worker);

    assertThat(metrics.all()).containsOnly(
        java.util.Map.entry("delivery d retried", 1), java.util.Map.entry("delivery d delivered", 2), java.util.Map.entry("delivered d", 2),
        java.util.Map.entry("delivery d dead", 1));
  }
}
