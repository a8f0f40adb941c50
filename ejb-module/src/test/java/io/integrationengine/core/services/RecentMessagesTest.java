package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentMessagesTest {

  private static StoredMessage message(int bytes) {
    return StoredMessage.received(new byte[bytes], ContentType.HL7V2_ER7, StandardCharsets.US_ASCII, "mllp:default", "127.0.0.1");
  }

  @Test
  void aRememberedMessageComesBackAsStoredAndTheOthersAreNamedMissing() {
    RecentMessages recent = new RecentMessages(1 << 20, 100);
    StoredMessage stored = message(10);
    recent.remember(List.of(stored));
    stored.changeStatus(MessageStatus.ROUTED, "changed by its caller after the commit");

    List<String> missing = new ArrayList<>();
    List<StoredMessage> found = recent.copies(List.of(stored.getId(), "not-stored-here"), missing);

    assertThat(found).extracting(StoredMessage::getId).containsExactly(stored.getId());
    assertThat(found.get(0).getStatus()).as("as it was stored").isEqualTo(MessageStatus.RECEIVED);
    assertThat(found.get(0).content().bytes()).isSameAs(stored.content().bytes());
    assertThat(missing).containsExactly("not-stored-here");
  }

  @Test
  void eachReaderGetsACopyOfItsOwn() {
    RecentMessages recent = new RecentMessages(1 << 20, 100);
    StoredMessage stored = message(10);
    recent.remember(List.of(stored));

    recent.copies(List.of(stored.getId()), new ArrayList<>()).get(0).changeStatus(MessageStatus.UNROUTED, "routing's change");

    assertThat(recent.copies(List.of(stored.getId()), new ArrayList<>()).get(0).getStatus()).isEqualTo(MessageStatus.RECEIVED);
  }

  @Test
  void theOldestAreDroppedBeyondTheContentLimitOrTheCount() {
    RecentMessages byBytes = new RecentMessages(1000, 100);
    List<StoredMessage> stored = List.of(message(400), message(400), message(400));
    byBytes.remember(stored);
    List<String> missing = new ArrayList<>();
    assertThat(byBytes.copies(stored.stream().map(StoredMessage::getId).toList(), missing)).extracting(StoredMessage::getId)
        .containsExactly(stored.get(1).getId(), stored.get(2).getId());
    assertThat(missing).containsExactly(stored.get(0).getId());

    RecentMessages byCount = new RecentMessages(1 << 20, 2);
    byCount.remember(stored);
    byCount.remember(List.of(message(1)));
    assertThat(byCount.size()).isEqualTo(2);
  }
}
