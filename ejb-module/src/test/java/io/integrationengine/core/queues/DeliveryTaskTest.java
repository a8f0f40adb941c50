package io.integrationengine.core.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryTaskTest {

  @Test
  void theCompactFormKeepsEveryFieldWhateverItHolds() {
    DeliveryTask task = new DeliveryTask("t-1", "MRN1^^^HOSP", "m-1", null, "lab|files\\x", 3, 1764230400123L, "IOException: a|b\\c \\0 and | more");

    DeliveryTask back = DeliveryTask.decode(task.encode());

    assertThat(back).isEqualTo(task);
    assertThat(DeliveryTask.decode(DeliveryTask.create("m", "r", "d", null).failed(null).encode()).lastError()).isNull();
  }

  @Test
  void tasksQueuedAsJsonByAnEarlierVersionAreStillRead() {
    String json = "{\"taskId\":\"t\",\"messageId\":\"m\",\"route\":\"r\",\"destination\":\"d\",\"attempts\":2,\"createdAt\":5,\"lastError\":\"x\"}";

    assertThat(DeliveryTask.decode(json)).isEqualTo(new DeliveryTask("t", null, "m", "r", "d", 2, 5, "x"));
    assertThat(DeliveryTask.decode("t1|t|m|r|d|2|5|x")).isEqualTo(new DeliveryTask("t", null, "m", "r", "d", 2, 5, "x"));
  }

  @Test
  void theOrderingKeyComesFirstWithoutCharactersTheQueueScriptsCannotRead() {
    DeliveryTask task = DeliveryTask.create("m", "r", "d", "  A|B\\C  ");

    assertThat(task.orderKey()).isEqualTo("A_B_C");
    assertThat(task.encode()).startsWith("t2|" + task.taskId() + "|A_B_C|m|");
    assertThat(DeliveryTask.create("m", "r", "d", " ").orderKey()).isNull();
    assertThat(DeliveryTask.create("m", "r", "d", "x".repeat(500)).orderKey()).hasSize(200);
  }

  @Test
  void somethingElseIsRefusedSayingWhat() {
    assertThatThrownBy(() -> DeliveryTask.decode("t1|only|three")).hasMessageContaining("not a delivery task");
  }
}
