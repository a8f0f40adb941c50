package io.integrationengine.services.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class DestinationDefinitionTest {

  @Test
  void destinationsNeedATypeAndPositiveRetrySettings() {
    Properties p = new Properties();
    assertThatThrownBy(() -> DestinationDefinition.from("d", p)).hasMessageContaining("no type");
    p.setProperty("type", "file");
    p.setProperty("maxAttempts", "0");
    assertThatThrownBy(() -> DestinationDefinition.from("d", p)).hasMessageContaining("maxAttempts");
    p.setProperty("maxAttempts", "3");
    assertThat(DestinationDefinition.from("d", p).retry().maxAttempts()).isEqualTo(3);
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RetryPolicy policy = new RetryPolicy(10, 1000, 8000);
    for (int attempt = 1; attempt <= 10; attempt++) {
      long expectedCap = Math.min(1000L << (attempt - 1), 8000);
      assertThat(policy.backoffAfter(attempt)).isBetween(expectedCap / 2, expectedCap);
    }
    assertThat(policy.exhausted(9)).isFalse();
    assertThat(policy.exhausted(10)).isTrue();
  }
}
