package io.integrationengine.mllp.api;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each inbound MLLP listener of this server is bound and accepting, and if not, why. The
 * resource adapter records every change (bound, failed to bind, stopped accepting, disabled,
 * deactivated); the engine's readiness checks read it, so an operator sees "listener 'tls' cannot
 * listen on 0.0.0.0:2576: Address already in use" instead of a silent port.
 */
public final class MllpListenerStatus {

  /** What a listener is doing. */
  public enum State {
    LISTENING, DISABLED, FAILED, STOPPED
  }

  /**
   * @param address where it listens (or should), {@code host:port}
   * @param detail why it is not listening, or null
   */
  public record Status(String listener, State state, String address, String detail) {}

  private static final Map<String, Status> STATUS = new ConcurrentHashMap<>();

  private MllpListenerStatus() {}

  /** The last recorded status of a listener, by its {@code listenerName}; empty if it was never activated. */
  public static Optional<Status> of(String listener) {
    return Optional.ofNullable(STATUS.get(listener));
  }

  /** Every listener activated since the adapter started, by name. */
  public static Map<String, Status> all() {
    return new TreeMap<>(STATUS);
  }

  /** For the adapter: records a listener's new status. */
  public static void record(String listener, State state, String address, String detail) {
    STATUS.put(listener, new Status(listener, state, address, detail));
  }
}
