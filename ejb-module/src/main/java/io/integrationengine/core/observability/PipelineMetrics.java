package io.integrationengine.core.observability;

/**
 * What the pipeline counts and times, called where things happen (intake, routing, delivery). The
 * implementation must be cheap on the hot path: no locks, no allocation per message once a
 * channel, route or destination has been seen. {@link #NONE} counts nothing, for unit tests and
 * for code built without a container.
 */
public interface PipelineMetrics {

  /** Why intake answered a message negatively; the {@code reason} label is the lower-case name. */
  enum Rejection {
    /** Not readable as the channel's format: stored as REJECTED. */
    UNREADABLE,
    /** Breaks the channel's conformance profile: stored as REJECTED. */
    PROFILE,
    /** The channel's configuration is invalid: refused, not stored. */
    CHANNEL_CONFIG,
    /** The store could not take it: refused, the sender should resend. */
    STORE_FAILED,
    /** The same control id is being stored from an earlier send: refused, the sender should resend. */
    IN_PROGRESS;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
      return label;
    }
  }

  /** What became of one delivery attempt; the {@code outcome} label is the lower-case name. */
  enum DeliveryOutcome {
    DELIVERED, RETRIED, DEAD;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
      return label;
    }
  }

  /** A message arrived on a channel (every frame handed to intake, whatever became of it). */
  void received(String channel);

  void rejected(String channel, Rejection reason);

  /** A resend of a message already stored: acknowledged again, not processed. */
  void duplicate(String channel);

  /** Intake answered a message (stored and acknowledged, or refused) {@code nanos} after it began. */
  void answered(long nanos);

  /** A message matched a route (once per route it matched), after the routing committed. */
  void routed(String route);

  /** A message matched no route, after the routing committed. */
  void unrouted();

  /** One delivery attempt's outcome, after it was recorded. */
  void delivery(String destination, DeliveryOutcome outcome);

  /** A message was delivered {@code millis} after it was stored. */
  void delivered(String destination, long millis);

  /** A transform (by name: {@code toFhir}, {@code map}, ...) failed on a message: its delivery is dead-lettered. */
  void transformFailed(String transform);

  /** A chunk of a file's records committed: {@code stored} accepted (and handed to routing), {@code rejected} stored as REJECTED. */
  void fileRecords(String channel, long stored, long rejected);

  PipelineMetrics NONE = new PipelineMetrics() {
    @Override
    public void received(String channel) {}

    @Override
    public void rejected(String channel, Rejection reason) {}

    @Override
    public void duplicate(String channel) {}

    @Override
    public void answered(long nanos) {}

    @Override
    public void routed(String route) {}

    @Override
    public void unrouted() {}

    @Override
    public void delivery(String destination, DeliveryOutcome outcome) {}

    @Override
    public void delivered(String destination, long millis) {}

    @Override
    public void transformFailed(String transform) {}

    @Override
    public void fileRecords(String channel, long stored, long rejected) {}
  };
}
