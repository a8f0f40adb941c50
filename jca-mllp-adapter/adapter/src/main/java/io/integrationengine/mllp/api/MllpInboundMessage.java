package io.integrationengine.mllp.api;

import java.io.Serializable;

/**
 * One HL7v2 message as it arrived in an MLLP frame.
 *
 * @param payload the frame's bytes exactly as the sender sent them
 * @param text the payload decoded with {@code charset}
 * @param charset the character set the adapter used: MSH-18 where present, else the listener's
 *     setting, else detected ({@code auto}: UTF-8 if valid, else Windows-1252); the acknowledgement
 *     is encoded with it too
 * @param remoteAddress the sender's address and port ({@code 10.1.2.3:51234})
 * @param listenerName name of the listener (activation) that received it
 * @param localPort the port the listener accepted the connection on
 * @param ackMode the listener's acknowledgement mode: {@code auto} (enhanced when MSH-15 or MSH-16
 *     is valued, as HL7 defines), {@code original} or {@code enhanced}
 * @param peerPrincipal the subject of the sender's TLS client certificate, or null
 */
public record MllpInboundMessage(
    byte[] payload,
    String text, String charset, String remoteAddress, String listenerName, int localPort, String ackMode, String peerPrincipal)
    implements Serializable {}
