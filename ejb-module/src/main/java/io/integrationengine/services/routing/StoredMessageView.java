package io.integrationengine.services.routing;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import io.integrationengine.services.routing.condition.MessageView;
import java.util.List;

/**
 * A stored message as route conditions read it: {@code @name} reads the envelope ({@code @channel},
 * {@code @contentType}, {@code @remoteAddress}, {@code @charset}, {@code @parentId}) or an
 * attribute intake read ({@code @messageType}, {@code @patientId}, ...); a field path reads
 * HL7v2 ER7 content, parsed once, on first use.
 */
public final class StoredMessageView implements MessageView {

  private final StoredMessage message;
  private Er7Message er7;

  public StoredMessageView(StoredMessage message) {
    this.message = message;
  }

  @Override
  public List<String> values(String operand) {
    if (operand.startsWith("@")) {
      return envelope(operand.substring(1));
    }
    if (message.getContentType() != ContentType.HL7V2_ER7) {
      return List.of();
    }
    if (er7 == null) {
      er7 = Er7Message.parse(message.content().text());
    }
    return er7.values(FieldPath.parse(operand));
  }

  private List<String> envelope(String name) {
    String value = switch (name) {
      case "channel" -> message.getChannel();
      case "contentType" -> message.getContentType().name();
      case "remoteAddress" -> message.getRemoteAddress();
      case "charset" -> message.getCharset();
      case "parentId" -> message.getParentId();
      // read from the message into columns of their own
      case "messageType" -> message.getMessageType();
      case "controlId" -> message.getControlId();
      default -> null;
    };
    if (value != null) {
      return List.of(value);
    }
    return message.attribute(name);
  }
}
