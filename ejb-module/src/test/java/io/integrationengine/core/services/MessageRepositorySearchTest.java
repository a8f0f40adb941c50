package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.services.MessageRepository.Search;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class MessageRepositorySearchTest {

  private static Search text(String text) {
    return new Search(null, null, null, null, null, null, null, null, text);
  }

  @Test
  void aTextOfOneOrTwoCharactersAloneWouldReadEveryMessage() {
    assertThat(text("Q7").shortTextAlone()).isTrue();
    assertThat(text("x").shortTextAlone()).isTrue();
    // what is searched for is the stripped text
    assertThat(text("  Q7 ").shortTextAlone()).isTrue();
  }

  @Test
  void threeCharactersOrAnotherFilterAreSearched() {
    assertThat(text("Q7Z").shortTextAlone()).isFalse();
    assertThat(text(null).shortTextAlone()).isFalse();
    assertThat(text(" ").shortTextAlone()).isFalse();
    assertThat(new Search("CTRL1", null, null, null, null, null, null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, "MORGAN", null, null, null, null, null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, "ADT", null, null, null, null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, null, MessageStatus.REJECTED, null, null, null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, null, null, "mllp:default", null, null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, null, null, null, "LAB", null, null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, null, null, null, null, OffsetDateTime.now(), null, "Q7").shortTextAlone()).isFalse();
    assertThat(new Search(null, null, null, null, null, null, null, OffsetDateTime.now(), "Q7").shortTextAlone()).isFalse();
  }

  @Test
  void aBlankFilterIsNoFilter() {
    assertThat(new Search(" ", "", null, null, " ", null, null, null, "Q7").shortTextAlone()).isTrue();
  }
}
