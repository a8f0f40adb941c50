package io.integrationengine.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

  private final String savedRoot = System.getProperty("com.sun.aas.instanceRoot");

  @AfterEach
  void restore() {
    if (savedRoot == null) {
      System.clearProperty("com.sun.aas.instanceRoot");
    } else {
      System.setProperty("com.sun.aas.instanceRoot", savedRoot);
    }
  }

  @Test
  void twoInstancesNeverShareAnIdAndAnInstanceKeepsItsOwnAcrossRestarts() {
    System.setProperty("com.sun.aas.instanceRoot", "/srv/payara/domains/engine-a");
    String first = EngineSettings.defaultInstanceId();
    String again = EngineSettings.defaultInstanceId();
    System.setProperty("com.sun.aas.instanceRoot", "/srv/payara/domains/engine-b");
    String other = EngineSettings.defaultInstanceId();

    assertThat(first).isEqualTo(again).isNotEqualTo(other).isNotEqualTo("local");
  }
}
