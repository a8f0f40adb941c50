package io.integrationengine.services.routing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import io.integrationengine.services.routing.condition.ConditionParser;
import io.integrationengine.services.routing.condition.FhirPathValues;
import io.integrationengine.services.routing.condition.MessageView;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A stored message as route conditions read it: {@code @name} reads the envelope ({@code @channel},
 * {@code @contentType}, {@code @remoteAddress}, {@code @charset}, {@code @parentId}) or an
 * attribute intake read ({@code @messageType}, {@code @patientId}, ...); a field path reads
 * HL7v2 ER7 content and {@code fhirpath("...")} FHIR content, each parsed once, on first use.
 */
public final class StoredMessageView implements MessageView {

  private final StoredMessage message;
  private Er7Message er7;
  private IBaseResource resource;
  private boolean unreadable;

  public StoredMessageView(StoredMessage message) {
    this.message = message;
  }

  @Override
  public List<String> values(String operand) {
    if (operand.startsWith("@")) {
      return envelope(operand.substring(1));
    }
    if (operand.startsWith(ConditionParser.FHIRPATH)) {
      return fhirPath(operand.substring(ConditionParser.FHIRPATH.length()));
    }
    if (message.getContentType() != ContentType.HL7V2_ER7) {
      return List.of();
    }
    if (er7 == null) {
      er7 = Er7Message.parse(message.content().text());
    }
    return er7.values(FieldPath.parse(operand));
  }

  /** FHIR content, parsed once on first use; content that is not FHIR (or not readable as FHIR) has no values. */
  private List<String> fhirPath(String expression) {
    ContentType type = message.getContentType();
    if (type != ContentType.FHIR_JSON && type != ContentType.FHIR_XML) {
      return List.of();
    }
    if (resource == null && !unreadable) {
      FhirContext context = FhirContext.forR4Cached();
      IParser parser = type == ContentType.FHIR_XML ? context.newXmlParser() : context.newJsonParser();
      try {
        resource = parser.parseResource(message.content().text());
      } catch (DataFormatException e) {
        unreadable = true;
      }
    }
    return resource == null ? List.of() : FhirPathValues.values(resource, expression);
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
