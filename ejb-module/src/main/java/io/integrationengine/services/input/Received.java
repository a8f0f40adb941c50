package io.integrationengine.services.input;

import java.nio.charset.Charset;

/**
 * What a channel hands to an intake handler: the bytes exactly as they arrived and where they came
 * from.
 *
 * @param charset how to read the bytes (declared, the channel's setting, or detected), or null
 * @param channelId the channel's configuration name ({@code engine/channels/<channelId>}), e.g. {@code mllp-default}
 * @param channel where it came in, as stored and shown, e.g. {@code mllp:tls (CN=lab)}
 * @param ackMode for HL7v2 over MLLP: {@code auto}, {@code original} or {@code enhanced} (see {@link AckPolicy})
 */
public record Received(byte[] bytes, Charset charset, String channelId, String channel, String remoteAddress, String ackMode) {}
