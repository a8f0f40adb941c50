package io.integrationengine.core.observability.alerts;

import static io.integrationengine.core.observability.alerts.AlertRuleTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.queues.DeliveryQueue.Depth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AlertEvaluationTest {

  /** Figures set by the test; messages per channel as arrival times, with a rejected flag. */
  static class Facts implements AlertFacts {
    final Map<String, Depth> depths = new TreeMap<>();
    final List<Object[]> messages = new ArrayList<>();

    void depth(String destination, long ready, long dead) {
      depths.put(destination, new Depth(ready, 0, 0, 0, dead));
    }

    void message(String channel, Instant at, boolean rejected) {
      messages.add(new Object[] {channel, at, rejected});
    }

    @Override
    public Set<String> destinations() {
      return new TreeSet<>(depths.keySet());
    }

    @Override
    public Map<String, Depth> depths(Collection<String> destinations) {
      Map<String, Depth> d = new TreeMap<>();
      destinations.forEach(n -> d.put(n, depths.get(n)));
      return d;
    }

    @Override
    public Intake intake(String channel, Instant since) {
      long received = 0;
      long rejected = 0;
      for (Object[] m : messages) {
        if ((channel == null || channel.equals(m[0])) && !((Instant) m[1]).isBefore(since)) {
          received++;
          rejected += (Boolean) m[2] ? 1 : 0;
        }
      }
      return new Intake(received, rejected);
    }

    @Override
    public Optional<Instant> lastReceived(String channel, Instant since) {
      return messages.stream().filter(m -> channel.equals(m[0]) && !((Instant) m[1]).isBefore(since)).map(m -> (Instant) m[1]).max(Instant::compareTo);
    }
  }

  /** Records what it sends; fails while {@code failing} is set. */
  static class Recorder implements AlertNotifier {
    final String scheme;
    final List<String> sent = new ArrayList<>();
    boolean failing;

    Recorder(String scheme) {
      this.scheme = scheme;
    }

    @Override
    public String scheme() {
      return scheme;
    }

    @Override
    public void send(String address, Notification n) {
      if (failing) {
        throw new IllegalStateException("connection refused");
      }
      sent.add(address + " " + n.rule() + " " + n.state() + " " + n.value());
    }
  }

  private final InMemoryAlertStore store = new InMemoryAlertStore();
  private final Facts facts = new Facts();
  private final Recorder mail = new Recorder("mail");
  private final Recorder webhook = new Recorder("webhook");
  private final AlertEvaluation evaluation = new AlertEvaluation(store, facts, List.of(mail, webhook), "test-engine");
  private final Instant t0 = Instant.parse("2026-11-27T10:00:00Z");

  private int round(Instant now, AlertRule... rules) {
    int open = evaluation.evaluate(List.of(rules), Set.of(), now);
    evaluation.sendNotifications(now);
    return open;
  }

  @Test
  void aSilenceOpensOnceAndResolvesWhenAMessageArrives() {
    AlertRule rule = AlertRule.from("quiet", props("type", "silence", "channel", "mllp:default", "minutes", "30", "zone", "UTC",
        "notify", "mail:ops@example.org,webhook:http://127.0.0.1:9/hook"));
    facts.message("mllp:default", t0, false);

    assertThat(round(t0.plus(Duration.ofMinutes(29)), rule)).isZero();
    assertThat(round(t0.plus(Duration.ofMinutes(31)), rule)).isEqualTo(1);
    assertThat(round(t0.plus(Duration.ofMinutes(40)), rule)).isEqualTo(1);
    assertThat(mail.sent).containsExactly("ops@example.org quiet open 30.0");
    assertThat(webhook.sent).containsExactly("http://127.0.0.1:9/hook quiet open 30.0");

    facts.message("mllp:default", t0.plus(Duration.ofMinutes(41)), false);
    assertThat(round(t0.plus(Duration.ofMinutes(42)), rule)).isZero();
    assertThat(round(t0.plus(Duration.ofMinutes(43)), rule)).isZero();
    assertThat(mail.sent).containsExactly("ops@example.org quiet open 30.0", "ops@example.org quiet resolved 0.0");
    assertThat(webhook.sent).hasSize(2);
    assertThat(store.latest(false, 10)).singleElement().satisfies(a -> {
      assertThat(a.getState()).isEqualTo(Alert.State.RESOLVED);
      assertThat(a.getOpenedAt().toInstant()).isEqualTo(t0.plus(Duration.ofMinutes(31)));
      assertThat(a.getResolvedAt().toInstant()).isEqualTo(t0.plus(Duration.ofMinutes(42)));
    });
  }

  @Test
  void aSilenceCountsOnlyWithinItsHours() {
    AlertRule rule = AlertRule.from("quiet", props("type", "silence", "channel", "c", "minutes", "30", "hours", "07:00-19:00", "zone", "UTC", "notify", "mail:a@b"));
    Instant evening = Instant.parse("2026-11-26T18:00:00Z");
    facts.message("c", evening, false);
    assertThat(round(Instant.parse("2026-11-26T23:00:00Z"), rule)).as("night").isZero();
    assertThat(round(Instant.parse("2026-11-27T07:10:00Z"), rule)).as("hours began 10 min ago").isZero();
    assertThat(round(Instant.parse("2026-11-27T07:30:00Z"), rule)).isEqualTo(1);
    assertThat(mail.sent).hasSize(1);
  }

  @Test
  void aDeadLetterOpensAnAlertUntilTheQueueIsEmptyAgain() {
    AlertRule rule = AlertRule.from("dead", props("type", "deadLetter", "notify", "mail:ops@example.org"));
    facts.depth("adt-files", 0, 0);
    facts.depth("lab", 5, 0);
    assertThat(round(t0, rule)).isZero();
    facts.depth("lab", 5, 2);
    assertThat(round(t0.plusSeconds(5), rule)).isEqualTo(1);
    facts.depth("lab", 5, 3);
    assertThat(round(t0.plusSeconds(10), rule)).isEqualTo(1);
    assertThat(store.openAlerts().get("dead").getValue()).isEqualTo(3);
    assertThat(store.openAlerts().get("dead").getDetail()).startsWith("3 dead letters on lab (3)");
    facts.depth("lab", 5, 0);
    assertThat(round(t0.plusSeconds(15), rule)).isZero();
    assertThat(mail.sent).containsExactly("ops@example.org dead open 2.0", "ops@example.org dead resolved 0.0");
  }

  @Test
  void aQueueDepthMustStayAboveItsThresholdForItsMinutes() {
    AlertRule rule = AlertRule.from("backlog", props("type", "queueDepth", "destination", "lab", "threshold", "100", "forMinutes", "10", "notify", "mail:a@b"));
    facts.depth("lab", 500, 0);
    assertThat(round(t0, rule)).isZero();
    assertThat(round(t0.plus(Duration.ofMinutes(9)), rule)).isZero();
    facts.depth("lab", 50, 0);
    assertThat(round(t0.plus(Duration.ofMinutes(10)), rule)).as("dipped below: the wait starts again").isZero();
    facts.depth("lab", 500, 0);
    assertThat(round(t0.plus(Duration.ofMinutes(11)), rule)).isZero();
    assertThat(round(t0.plus(Duration.ofMinutes(21)), rule)).isEqualTo(1);
    assertThat(mail.sent).containsExactly("a@b backlog open 500.0");
  }

  @Test
  void anErrorRateNeedsItsMinimumOfMessages() {
    AlertRule rule = AlertRule.from("rate", props("type", "errorRate", "channel", "c", "threshold", "0.2", "windowMinutes", "10", "minMessages", "5",
        "notify", "mail:a@b"));
    facts.message("c", t0, true);
    facts.message("c", t0, false);
    assertThat(round(t0.plusSeconds(60), rule)).as("1 of 2: too few to tell").isZero();
    for (int i = 0; i < 3; i++) {
      facts.message("c", t0.plusSeconds(30), i == 0);
    }
    assertThat(round(t0.plusSeconds(60), rule)).as("2 of 5 rejected").isEqualTo(1);
    assertThat(round(t0.plus(Duration.ofMinutes(11)), rule)).as("the window moved past them").isZero();
  }

  @Test
  void aFailedNotificationIsTriedAgainLaterAndSentOnce() {
    AlertRule rule = AlertRule.from("dead", props("type", "deadLetter", "notify", "webhook:http://127.0.0.1:9/hook,mail:ops@example.org"));
    facts.depth("lab", 0, 1);
    webhook.failing = true;
    round(t0, rule);
    assertThat(mail.sent).hasSize(1);
    assertThat(webhook.sent).isEmpty();
    webhook.failing = false;
    round(t0.plusSeconds(1), rule);
    assertThat(webhook.sent).as("waits its pause of 5 s").isEmpty();
    round(t0.plusSeconds(5), rule);
    round(t0.plusSeconds(10), rule);
    assertThat(webhook.sent).containsExactly("http://127.0.0.1:9/hook dead open 1.0");
    assertThat(mail.sent).hasSize(1);
    AlertNotice notice = store.notices.values().stream().filter(n -> n.getTarget().startsWith("webhook")).findFirst().orElseThrow();
    assertThat(notice.getAttempts()).isEqualTo(2);
    assertThat(notice.getLastError()).isNull();
    assertThat(AlertEvaluation.pause(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(AlertEvaluation.pause(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(AlertEvaluation.pause(30)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void anAlertWhoseRuleIsDeletedResolvesButNotWhileTheRuleIsInvalid() {
    AlertRule rule = AlertRule.from("dead", props("type", "deadLetter", "notify", "mail:a@b"));
    facts.depth("lab", 0, 1);
    round(t0, rule);
    assertThat(evaluation.evaluate(List.of(), Set.of("dead"), t0.plusSeconds(5))).isEqualTo(1);
    assertThat(evaluation.evaluate(List.of(), Set.of(), t0.plusSeconds(10))).isZero();
    evaluation.sendNotifications(t0.plusSeconds(10));
    assertThat(mail.sent).containsExactly("a@b dead open 1.0", "a@b dead resolved 1.0");
    assertThat(store.latest(false, 1).get(0).getDetail()).contains("deleted or disabled");
  }

  @Test
  void anUnreadableFigureLeavesTheAlertAsItIs() {
    AlertRule rule = AlertRule.from("dead", props("type", "deadLetter", "destination", "lab", "notify", "mail:a@b"));
    facts.depth("lab", 0, 1);
    round(t0, rule);
    AlertEvaluation broken = new AlertEvaluation(store, new Facts() {
      @Override
      public Set<String> destinations() {
        return Set.of("lab");
      }

      @Override
      public Map<String, Depth> depths(Collection<String> destinations) {
        throw new IllegalStateException("Redis is down");
      }
    }, List.of(mail), "test-engine");
    assertThat(broken.evaluate(List.of(rule), Set.of(), t0.plusSeconds(5))).isEqualTo(1);
    assertThat(store.openAlerts()).containsKey("dead");
  }
}
