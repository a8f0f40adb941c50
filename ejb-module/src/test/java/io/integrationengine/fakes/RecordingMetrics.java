package io.integrationengine.fakes;

import io.integrationengine.core.observability.PipelineMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts what the pipeline reports, by metric and labels ({@code received mllp-default}, {@code delivery adt delivered}). */
public class RecordingMetrics implements PipelineMetrics {

  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  public volatile int answered;

  public int count(String key) {
    return counts.getOrDefault(key, 0);
  }

  public Map<String, Integer> all() {
    return Map.copyOf(counts);
  }

  private void add(String key) {
    counts.merge(key, 1, Integer::sum);
  }

  @Override
  public void received(String channel) {
    add("received " + channel);
  }

  @Override
  public void rejected(String channel, Rejection reason) {
    add("rejected " + channel + " " + reason.label());
  }

  @Override
  public void duplicate(String channel) {
    add("duplicate " + channel);
  }

  @Override
  public void answered(long nanos) {
    answered++;
  }

  @Override
  public void routed(String route) {
    add("routed " + route);
  }

  @Override
  public void unrouted() {
    add("unrouted");
  }

  @Override
  public void delivery(String destination, DeliveryOutcome outcome) {
    add("delivery " + destination + " " + outcome.label());
  }

  @Override
  public void delivered(String destination, long millis) {
    add("delivered " + destination);
  }

  @Override
  public void transformFailed(String transform) {
    add("transformFailed " + transform);
  }

  @Override
  public void fileRecords(String channel, long stored, long rejected) {
    add("fileRecords " + channel + " " + stored + " " + rejected);
  }
}
