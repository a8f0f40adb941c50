package io.integrationengine.services.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.fakes.InMemoryDeliveryLog;
import io.integrationengine.fakes.InMemoryDeliveryQueue;
import io.integrationengine.fakes.TrackingUnitOfWork;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryReplayTest {

  private final InMemoryDeliveryLog log = new InMemoryDeliveryLog();
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
  private final DeliveryReplay replay = new DeliveryReplay();

  @BeforeEach
  void wire() {
    replay.unitOfWork = new TrackingUnitOfWork();
    replay.deliveries = log;
    replay.queue = queue;
  }

  private DeliveryRecord delivery(String message, String destination, DeliveryStatus status) {
    DeliveryRecord r = new DeliveryRecord(message, "adt", destination, "patient-1");
    log.plan(List.of(r));
    if (status != DeliveryStatus.PENDING) {
      r.record(status, 3, status == DeliveryStatus.DEAD ? "refused" : null, null);
    }
    return r;
  }

  @Test
  void aDeliveredMessageIsQueuedAgainToEveryDestinationWithItsOrderKey() {
    delivery("m1", "adt", DeliveryStatus.DELIVERED);
    delivery("m1", "lab", DeliveryStatus.DEAD);

    DeliveryReplay.Outcome outcome = replay.replay("m1", null);

    assertThat(outcome.replayed()).containsExactlyInAnyOrder("adt", "lab");
    assertThat(queue.all("adt")).singleElement().satisfies(t -> {
      assertThat(t.messageId()).isEqualTo("m1");
      assertThat(t.orderKey()).isEqualTo("patient-1");
      assertThat(t.attempts()).isZero();
    });
    DeliveryRecord lab = log.records.get(DeliveryRecord.key("m1", "lab"));
    assertThat(lab.getStatus()).isEqualTo(DeliveryStatus.QUEUED);
    assertThat(lab.getAttempts()).isZero();
    assertThat(lab.getLastError()).isNull();
  }

  @Test
  void aReplayKeepsTheEarlierSuccessAsAnAttemptButNotADeadOnesFailureTwice() {
    DeliveryRecord adt = delivery("m1", "adt", DeliveryStatus.PENDING);
    adt.record(DeliveryStatus.DELIVERED, 3, null, "/out/adt/CTRL1.hl7");
    var deliveredAt = adt.getUpdatedAt();
    delivery("m1", "lab", DeliveryStatus.DEAD);

    replay.replay("m1", null);

    // the dead one's failure was kept when it was recorded; the success only the record showed
    assertThat(log.attemptsFor("m1")).singleElement().satisfies(a -> {
      assertThat(a.getDestination()).isEqualTo("adt");
      assertThat(a.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
      assertThat(a.getAttempt()).isEqualTo(3);
      assertThat(a.getTarget()).isEqualTo("/out/adt/CTRL1.hl7");
      assertThat(a.getAt()).isEqualTo(deliveredAt);
    });
    assertThat(log.get("m1", "adt").getAttempts()).isZero();
  }

  @Test
  void aDeliveryStillOnItsWayKeepsNoAttempt() {
    delivery("m1", "adt", DeliveryStatus.RETRYING);

    replay.replay("m1", null);

    assertThat(log.attemptsFor("m1")).isEmpty();
  }

  @Test
  void oneDestinationOnlyWhenNamed() {
    delivery("m1", "adt", DeliveryStatus.DELIVERED);
    delivery("m1", "lab", DeliveryStatus.DELIVERED);

    assertThat(replay.replay("m1", "lab").replayed()).containsExactly("lab");
    assertThat(queue.all("adt")).isEmpty();
  }

  @Test
  void aDeliveryStillOnItsWayIsLeftAlone() {
    delivery("m1", "adt", DeliveryStatus.RETRYING);

    DeliveryReplay.Outcome outcome = replay.replay("m1", null);

    assertThat(outcome.replayed()).isEmpty();
    assertThat(outcome.skipped()).isEqualTo(Map.of("adt", "still RETRYING"));
    assertThat(queue.all("adt")).isEmpty();
  }

  @Test
  void replayingADeadLetterTakesItOffTheDeadLetterQueue() {
    delivery("m1", "adt", DeliveryStatus.DEAD);
    delivery("m2", "adt", DeliveryStatus.DEAD);
    queue.dead.put("adt", new java.util.ArrayList<>(List.of(DeliveryTask.create("m1", "adt", "adt", "patient-1"), DeliveryTask.create("m2", "adt", "adt", "patient-1"))));

    assertThat(replay.replayDead("adt", List.of("m2"))).containsExactly("m2");
    assertThat(queue.deadLetters("adt", 10)).extracting(DeliveryTask::messageId).containsExactly("m1");
    assertThat(log.records.get(DeliveryRecord.key("m2", "adt")).getStatus()).isEqualTo(DeliveryStatus.QUEUED);

    assertThat(replay.discardDead("adt", null)).containsExactly("m1");
    assertThat(queue.deadCount("adt")).isZero();
    assertThat(log.records.get(DeliveryRecord.key("m1", "adt")).getStatus()).isEqualTo(DeliveryStatus.DEAD);
  }
}
