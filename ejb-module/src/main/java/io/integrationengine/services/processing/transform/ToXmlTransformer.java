package io.integrationengine.services.processing.transform;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.input.Hl7Reader;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code toXml()}: converts an ER7 message to the HL7v2 XML encoding (HAPI's), UTF-8. The message
 * is read by the same {@link Hl7Reader} as at intake, so its structural checks apply and versions
 * without packaged structures are read with the nearest packaged version's (2.6 and 2.7 with 2.8's).
 * The XML holds what HAPI's XML encoder writes: the ER7 layout (separators, trailing delimiters)
 * is not kept, segments follow HAPI's group structure, and components a field's datatype does not
 * define are left out; when a message loses such content, a warning names the first position
 * (never its value): the loss is visible without refusing the many messages whose senders fill
 * fields this way.
 */
@ApplicationScoped
public class ToXmlTransformer implements Transformer {

  private static final Logger LOG = Logger.getLogger(ToXmlTransformer.class.getName());

  // the intake reader holds nothing but HAPI contexts; an own instance keeps this class usable without a container
  private final Hl7Reader reader = new Hl7Reader();
  private final Hl7XmlCodec codec = new Hl7XmlCodec();

  public ToXmlTransformer() {}

  @Override
  public String name() {
    return "toXml";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "no arguments", arguments, 0, 0);
    String step = name() + "()";
    return content -> {
      if (content.type() != ContentType.HL7V2_ER7) {
        throw new TransformException(step + " works on " + ContentType.HL7V2_ER7 + " content; this content is " + content.type());
      }
      String er7 = TransformSupport.text(content, step);
      String description = TransformSupport.describe(TransformSupport.er7(er7, step));
      try {
        Message message = codec.typed(reader.parse(er7));
        String xml = codec.toXml(message);
        Optional<String> lost = codec.firstDifference(message, codec.fromXml(xml));
        if (lost.isPresent()) {
          // positions only: field values are patient data
          LOG.warning(() -> step + ": the XML of " + description + " lacks content HAPI's XML encoding cannot hold, first at " + lost.get()
              + " (components the field's datatype does not define, typically in a withdrawn field)");
        }
        return TransformSupport.content(xml, ContentType.HL7V2_XML, StandardCharsets.UTF_8, step, description);
      } catch (HL7Exception | RuntimeException e) {
        // HAPI reports some encoding failures with runtime exceptions
        throw new TransformException(step + ": " + description + " cannot be converted to XML: " + e.getMessage(), e);
      }
    };
  }
}
