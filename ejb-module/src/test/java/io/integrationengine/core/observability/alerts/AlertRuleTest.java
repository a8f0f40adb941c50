package io.integrationengine.core.observability.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

  static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void aQueueDepthRuleReadsItsDestinationStatesThresholdAndWait() {
    AlertRule rule = AlertRule.from("backlog", props("type", "queueDepth", "destination", "adt-files", "state", "ready, delayed", "threshold", "1000",
        "forMinutes", "10", "notify", "mail:ops@example.org, webhook:https://hooks.example.org/engine"));
    assertThat(rule.type()).isEqualTo(AlertType.QUEUE_DEPTH);
    assertThat(rule.condition()).isEqualTo(new QueueDepthCondition("adt-files", List.of("ready", "delayed"), 1000));
    assertThat(rule.pending()).isEqualTo(Duration.ofMinutes(10));
    assertThat(rule.targets()).containsExactly(new NotifyTarget("mail", "ops@example.org"), new NotifyTarget("webhook", "https://hooks.example.org/engine"));
    assertThat(rule.enabled()).isTrue();
  }

  @Test
  void defaultsAndDecimalMinutes() {
    AlertRule dead = AlertRule.from("dead", props("type", "deadLetter"));
    assertThat(dead.condition()).isEqualTo(new DeadLetterCondition(null));
    assertThat(dead.targets()).isEmpty();
    assertThat(dead.pending()).isZero();

    AlertRule rate = AlertRule.from("rate", props("type", "errorRate", "threshold", "5%", "enabled", "false"));
    assertThat(rate.condition()).isEqualTo(new ErrorRateCondition(null, Duration.ofMinutes(10), 0.05, 10));
    assertThat(rate.enabled()).isFalse();

    AlertRule silence = AlertRule.from("quiet", props("type", "silence", "channel", "mllp:default", "minutes", "0.25", "hours", "07:00-19:00", "days", "MON-FRI",
        "zone", "Europe/Berlin"));
    SilenceCondition c = (SilenceCondition) silence.condition();
    assertThat(c.quiet()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.hours().from()).isEqualTo(LocalTime.of(7, 0));
    assertThat(c.hours().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
  }

  @Test
  void mistakesAreErrorsNamingTheRuleAndTheKey() {
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "queuedepth"))).hasMessageContaining("alert rule 'x'").hasMessageContaining("queueDepth, deadLetter");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "queueDepth", "destination", "d"))).hasMessageContaining("threshold is required");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "deadLetter", "treshold", "1"))).hasMessageContaining("unknown key 'treshold'");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "silence", "channel", "c"))).hasMessageContaining("minutes is required");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "silence", "channel", "c", "minutes", "0"))).hasMessageContaining("minutes must be more than 0");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "silence", "channel", "c", "minutes", "5", "hours", "7-19"))).hasMessageContaining("HH:MM-HH:MM");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "silence", "channel", "c", "minutes", "5", "days", "MON-FRY"))).hasMessageContaining("'FRY' is not a day");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "errorRate", "threshold", "5"))).hasMessageContaining("at most 1.0");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "deadLetter", "notify", "sms:123"))).hasMessageContaining("must start with mail: or webhook:");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "deadLetter", "notify", "webhook:ftp://h/x"))).hasMessageContaining("http or https");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "deadLetter", "enabled", "yes"))).hasMessageContaining("true or false");
    assertThatThrownBy(() -> AlertRule.from("x", props("type", "queueDepth", "destination", "d", "threshold", "1", "state", "waiting")))
        .hasMessageContaining("state must be among");
  }
}
