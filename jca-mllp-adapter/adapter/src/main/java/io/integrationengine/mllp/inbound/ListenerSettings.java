package io.integrationengine.mllp.inbound;

/** A listener's settings, resolved and validated once at activation. */
public record ListenerSettings(
    String listenerName,
    String bindAddress,
    int port,
    String charset,
    int maxFrameBytes,
    int idleTimeoutMillis) {}
