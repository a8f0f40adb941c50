package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.tls.TlsSettings;

/** A listener's settings, resolved and validated once at activation (see {@link MllpActivationSpec}). */
public record ListenerSettings(
    String listenerName,
    boolean enabled,
    String bindAddress,
    int port,
    String charset,
    String ackMode,
    int maxFrameBytes,
    int maxConnections,
    int idleTimeoutMillis,
    int frameReadTimeoutMillis,
    int endpointTimeoutMillis,
    int shutdownGraceMillis,
    SenderFilter allowedSenders,
    TlsSettings tls) {}
