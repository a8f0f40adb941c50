package io.integrationengine.mllp.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PropertyPlaceholdersTest {

  @Test
  void resolvesSystemPropertiesDefaultsAndNesting() {
    System.setProperty("pp.test.port", "2600");
    System.setProperty("pp.test.store", "/tmp/store.p12");
    assertThat(PropertyPlaceholders.resolve("${pp.test.port:2575}")).isEqualTo("2600");
    assertThat(PropertyPlaceholders.resolve("${pp.test.missing:2575}")).isEqualTo("2575");
    assertThat(PropertyPlaceholders.resolve("${pp.test.missing:}")).isEmpty();
    assertThat(PropertyPlaceholders.resolve("${pp.test.missing:${pp.test.store}}")).isEqualTo("/tmp/store.p12");
    assertThat(PropertyPlaceholders.resolve("plain")).isEqualTo("plain");
  }

  @Test
  void aMissingValueWithoutDefaultNamesTheProperty() {
    assertThatThrownBy(() -> PropertyPlaceholders.resolve("${pp.test.absent}")).hasMessageContaining("pp.test.absent");
  }
}
