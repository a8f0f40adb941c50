package io.integrationengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void idsAreVersion7UuidsThatSortByCreationTime() {
    String first = MessageIds.next();
    long made = System.currentTimeMillis();
    // the next id in a later millisecond
    await().until(() -> System.currentTimeMillis() > made);
    String second = MessageIds.next();

    UUID uuid = UUID.fromString(first);
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    assertThat(first).isLessThan(second);
  }

  @Test
  void idsMadeInTheSameMillisecondDiffer() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(MessageIds.next());
    }
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
  }
}
