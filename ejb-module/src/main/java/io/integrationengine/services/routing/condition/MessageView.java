package io.integrationengine.services.routing.condition;

import java.util.List;

/**
 * What a route condition reads from a message. An operand is either an envelope attribute,
 * {@code @name} (e.g. {@code @channel}, {@code @contentType}, {@code @messageType}), or an HL7v2
 * field path ({@code PID-8}, {@code PID-3.1}, {@code OBX(2)-3.1}, {@code PID-3(*).4}).
 */
public interface MessageView {

  /**
   * Every value the operand has in this message, decoded (escape sequences resolved), in message
   * order; empty values are left out. A path without a segment or repetition index means every
   * segment or repetition; an index means that one only. Empty when the message has none.
   */
  List<String> values(String operand);
}
