package io.integrationengine.mllp.api;

import java.io.Serializable;

/**
 * One HL7v2 message as it arrived in an MLLP frame.
 *
 * @param text the frame's payload, decoded with {@code charset}
 * @param charset name of the character set the adapter used to decode the payload
 * @param remoteAddress the sender's address and port ({@code 10.1.2.3:51234})
 * @param listenerName name of the listener (activation) that received it
 * @param localPort the port the listener accepted the connection on
 */
public record MllpInboundMessage(
    String text, String charset, String remoteAddress, String listenerName, int localPort)
    implements Serializable {}
