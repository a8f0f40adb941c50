package io.integrationengine.services.input;

/**
 * A message as a channel hands it to intake.
 *
 * @param channel where it came in, e.g. {@code mllp:default}
 * @param ackMode {@code auto}, {@code original} or {@code enhanced} (see {@link AckPolicy})
 */
public record InboundMessage(String text, String charset, String channel, String remoteAddress, String ackMode) {}
