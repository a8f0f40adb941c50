package io.integrationengine.core.observability;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@link PipelineMetrics} in the application's MicroProfile Metrics registry, which Payara serves
 * as Prometheus text at {@code /metrics} (see docs/operations.md for the exact output). The
 * counters of a channel, route or destination are registered the first time it is seen and kept in
 * maps, so counting is a map read and a {@link java.util.concurrent.atomic.LongAdder} add. The two
 * latencies are {@link LatencyHistogram}s exposed as Prometheus histogram series
 * ({@code _bucket{le}}, {@code _count}, {@code _sum}) through gauges: MicroProfile's own timers
 * take a lock and allocate on every update, and keep a decaying sample rather than exact counts.
 */
@ApplicationScoped
public class MicroProfilePipelineMetrics implements PipelineMetrics {

  static final String RECEIVED = "engine_messages_received";
  static final String REJECTED = "engine_messages_rejected";
  static final String DUPLICATE = "engine_messages_duplicate";
  static final String ROUTED = "engine_messages_routed";
  static final String UNROUTED = "engine_messages_unrouted";
  static final String DELIVERIES = "engine_deliveries";
  static final String ACK_SECONDS = "engine_ack_seconds";
  static final String DELIVERY_SECONDS = "engine_delivery_seconds";
  static final String TRANSFORM_ERRORS = "engine_transform_errors";
  static final String FILE_RECORDS = "engine_file_records";

  @Inject
  MetricRegistry registry;

  /**
   * {@code engine.metrics.enabled=false} stops the counting (the series stay, at 0): only to measure
   * what counting costs (docs/benchmarks.md), never needed in operation.
   */
  @Inject
  @ConfigProperty(name = "engine.metrics.enabled", defaultValue = "true")
  boolean enabled;

  /** Per channel: received, duplicate, then rejected by reason. */
  private final Map<String, Counter[]> channels = new ConcurrentHashMap<>();
  private final Map<String, Counter> routes = new ConcurrentHashMap<>();
  private final Map<String, Counter> transformErrors = new ConcurrentHashMap<>();
  /** Per file channel: records stored (accepted), records rejected. */
  private final Map<String, Counter[]> fileChannels = new ConcurrentHashMap<>();
  /** Per destination: one counter per outcome, and the latency from stored to delivered. */
  private final Map<String, DestinationMeters> destinations = new ConcurrentHashMap<>();
  private final LatencyHistogram ack = new LatencyHistogram();
  private Counter unrouted;

  private record DestinationMeters(Counter[] outcomes, LatencyHistogram latency) {}

  @PostConstruct
  void register() {
    unrouted = registry.counter(Metadata.builder().withName(UNROUTED).withDescription("Messages that matched no route").build());
    histogram(ACK_SECONDS, "Seconds from the start of intake to the answer (ACK) sent back", ack);
  }

  @Override
  public void received(String channel) {
    if (!enabled) {
      return;
    }
    channel(channel)[0].inc();
  }

  @Override
  public void duplicate(String channel) {
    if (!enabled) {
      return;
    }
    channel(channel)[1].inc();
  }

  @Override
  public void rejected(String channel, Rejection reason) {
    if (!enabled) {
      return;
    }
    channel(channel)[2 + reason.ordinal()].inc();
  }

  @Override
  public void answered(long nanos) {
    if (!enabled) {
      return;
    }
    ack.recordNanos(nanos);
  }

  @Override
  public void routed(String route) {
    if (!enabled) {
      return;
    }
    Counter c = routes.get(label(route));
    if (c == null) {
      c = routes.computeIfAbsent(label(route), r -> registry.counter(meta(ROUTED, "Messages routed, per route they matched"), new Tag("route", r)));
    }
    c.inc();
  }

  @Override
  public void unrouted() {
    if (!enabled) {
      return;
    }
    unrouted.inc();
  }

  @Override
  public void delivery(String destination, DeliveryOutcome outcome) {
    if (!enabled) {
      return;
    }
    destination(destination).outcomes()[outcome.ordinal()].inc();
  }

  @Override
  public void delivered(String destination, long millis) {
    if (!enabled) {
      return;
    }
    destination(destination).latency().recordNanos(millis * 1_000_000);
  }

  @Override
  public void transformFailed(String transform) {
    if (!enabled) {
      return;
    }
    Counter c = transformErrors.get(label(transform));
    if (c == null) {
      c = transformErrors.computeIfAbsent(label(transform),
          t -> registry.counter(meta(TRANSFORM_ERRORS, "Transforms that failed on a message (its delivery dead-lettered), per transform"), new Tag("transform", t)));
    }
    c.inc();
  }

  @Override
  public void fileRecords(String channel, long stored, long rejected) {
    if (!enabled) {
      return;
    }
    Counter[] counters = fileChannels.get(label(channel));
    if (counters == null) {
      counters = fileChannels.computeIfAbsent(label(channel), c -> new Counter[] {
          registry.counter(meta(FILE_RECORDS, "Records of dropped files, per channel and outcome (stored, rejected)"), new Tag("channel", c), new Tag("outcome", "stored")),
          registry.counter(meta(FILE_RECORDS, "Records of dropped files, per channel and outcome (stored, rejected)"), new Tag("channel", c), new Tag("outcome", "rejected"))});
    }
    if (stored > 0) {
      counters[0].inc(stored);
    }
    if (rejected > 0) {
      counters[1].inc(rejected);
    }
  }

  private Counter[] channel(String channel) {
    Counter[] counters = channels.get(label(channel));
    return counters != null ? counters : channels.computeIfAbsent(label(channel), this::registerChannel);
  }

  private Counter[] registerChannel(String channel) {
    Tag tag = new Tag("channel", channel);
    Counter[] counters = new Counter[2 + Rejection.values().length];
    counters[0] = registry.counter(meta(RECEIVED, "Messages received, per channel"), tag);
    counters[1] = registry.counter(meta(DUPLICATE, "Resends of messages already stored: acknowledged again, not processed"), tag);
    for (Rejection reason : Rejection.values()) {
      counters[2 + reason.ordinal()] = registry.counter(meta(REJECTED, "Messages answered negatively at intake, per channel and reason"), tag,
          new Tag("reason", reason.label()));
    }
    return counters;
  }

  private DestinationMeters destination(String destination) {
    DestinationMeters meters = destinations.get(label(destination));
    return meters != null ? meters : destinations.computeIfAbsent(label(destination), this::registerDestination);
  }

  private DestinationMeters registerDestination(String destination) {
    Tag tag = new Tag("destination", destination);
    Counter[] outcomes = new Counter[DeliveryOutcome.values().length];
    for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
      outcomes[outcome.ordinal()] = registry.counter(meta(DELIVERIES, "Delivery attempts, per destination and outcome (delivered, retried, dead)"), tag,
          new Tag("outcome", outcome.label()));
    }
    LatencyHistogram latency = new LatencyHistogram();
    histogram(DELIVERY_SECONDS, "Seconds from a message's storing to its delivery, per destination", latency, tag);
    return new DestinationMeters(outcomes, latency);
  }

  /** Registers the series Prometheus reads as one histogram: cumulative buckets, count and sum. */
  private void histogram(String name, String description, LatencyHistogram histogram, Tag... tags) {
    Metadata bucket = meta(name + "_bucket", description + " (cumulative, by upper bound le)");
    for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
      int bound = i;
      registry.gauge(bucket, () -> histogram.cumulativeCount(bound), with(tags, new Tag("le", Double.toString(LatencyHistogram.BOUNDS[i]))));
    }
    registry.gauge(bucket, histogram::count, with(tags, new Tag("le", "+Inf")));
    registry.gauge(meta(name + "_count", description + ": how many"), histogram::count, tags);
    registry.gauge(meta(name + "_sum", description + ": their sum"), histogram::sumSeconds, tags);
  }

  private static Tag[] with(Tag[] tags, Tag more) {
    Tag[] all = java.util.Arrays.copyOf(tags, tags.length + 1);
    all[tags.length] = more;
    return all;
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }

  private static String label(String value) {
    return value == null || value.isEmpty() ? "unknown" : value;
  }
}
