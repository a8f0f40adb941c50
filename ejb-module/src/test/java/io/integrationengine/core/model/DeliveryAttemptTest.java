package io.integrationengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.services.DeliveryLog;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeliveryAttemptTest {

  @Test
  void aFailedOutcomeIsAnAttemptWithItsErrorCutToTheColumn() {
    DeliveryLog.Outcome retrying = new DeliveryLog.Outcome("m1", "adt", "lab", DeliveryStatus.RETRYING, 2, "IOException: " + "x".repeat(3000), null, null);
    OffsetDateTime at = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));

    DeliveryAttempt attempt = retrying.attempt(at);

    assertThat(retrying.failed()).isTrue();
    assertThat(attempt.getDeliveryKey()).isEqualTo(DeliveryRecord.key("m1", "lab"));
    assertThat(attempt.getAttempt()).isEqualTo(2);
    assertThat(attempt.getStatus()).isEqualTo(DeliveryStatus.RETRYING);
    assertThat(attempt.getError()).startsWith("IOException: ").hasSize(DeliveryAttempt.MAX_ERROR);
    assertThat(attempt.getAt()).isEqualTo(at.toInstant().atOffset(ZoneOffset.UTC)).satisfies(t -> assertThat(t.getOffset()).isEqualTo(ZoneOffset.UTC));
  }

  @Test
  void onlyRetryingAndDeadAreFailures() {
    assertThat(outcome(DeliveryStatus.DEAD).failed()).isTrue();
    assertThat(outcome(DeliveryStatus.DELIVERED).failed()).isFalse();
  }

  @Test
  void aDeliveredRecordsSuccessIsKeptWithItsAttemptsTargetAndTime() {
    DeliveryRecord record = new DeliveryRecord("m1", "adt", "lab");
    record.record(DeliveryStatus.RETRYING, 1, "refused", null);
    record.record(DeliveryStatus.DELIVERED, 2, null, "/out/lab/CTRL1_m1.hl7");

    DeliveryAttempt kept = DeliveryAttempt.delivered(record);

    assertThat(kept.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(kept.getAttempt()).isEqualTo(2);
    assertThat(kept.getTarget()).isEqualTo("/out/lab/CTRL1_m1.hl7");
    assertThat(kept.getAt()).isEqualTo(record.getUpdatedAt());
    assertThat(kept.getError()).isNull();
    assertThat(kept.getRoute()).isEqualTo("adt");
  }

  @Test
  void onlyADeliveredRecordHasASuccessToKeep() {
    DeliveryRecord dead = new DeliveryRecord("m1", "adt", "lab");
    dead.record(DeliveryStatus.DEAD, 1, "refused", null);

    assertThatThrownBy(() -> DeliveryAttempt.delivered(dead)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m1/lab is DEAD");
  }

  @Test
  void anAttemptCannotBeChanged() {
    DeliveryAttempt attempt = outcome(DeliveryStatus.DEAD).attempt(OffsetDateTime.now());

    assertThatThrownBy(attempt::appendOnly).isInstanceOf(IllegalStateException.class).hasMessageContaining("append-only");
  }

  private static DeliveryLog.Outcome outcome(DeliveryStatus status) {
    return new DeliveryLog.Outcome("m1", "adt", "lab", status, 1, status == DeliveryStatus.DELIVERED ? null : "refused", null, null);
  }
}
