package io.integrationengine.services.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.MessageHeader;
import io.integrationengine.core.model.StoredMessage;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteDefinitionTest {

  @ParameterizedTest
  @CsvSource({
    "ADT, ADT^A01, true",
    "ADT, ADT, true",
    "ADT, ORU^R01, false",
    "'ADT^A0*', ADT^A08, true",
    "'ADT^A0*', ADT^A11, false",
    "'ORU^R01,ADT^A04', ADT^A04, true",
    "*, SIU^S12, true",
    "adt, ADT^A01, true",
  })
  void matchesMessageTypes(String patterns, String type, boolean expected) {
    Properties p = new Properties();
    p.setProperty("messageTypes", patterns);
    p.setProperty("destinations", "d1");
    assertThat(RouteDefinition.from("r", p).matches(message(type))).isEqualTo(expected);
  }

  @Test
  void aDisabledRouteMatchesNothing() {
    Properties p = new Properties();
    p.setProperty("destinations", "d1");
    p.setProperty("enabled", "false");
    assertThat(RouteDefinition.from("r", p).matches(message("ADT^A01"))).isFalse();
  }

  @Test
  void aRouteWithoutDestinationsIsInvalid() {
    assertThatThrownBy(() -> RouteDefinition.from("r", new Properties())).hasMessageContaining("route 'r' has no destinations");
  }

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

  private static StoredMessage message(String type) {
    StoredMessage m = StoredMessage.received("MSH|", "UTF-8", "test", "127.0.0.1");
    String[] parts = type.split("\\^");
    m.describe(new MessageHeader("A", "F", "R", "RF", "1", parts[0], parts.length > 1 ? parts[1] : null, "2.5", null, null, null));
    return m;
  }
}
