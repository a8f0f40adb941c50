package io.integrationengine.services.processing.transform;

import ca.uhn.hl7v2.HL7Exception;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code toEr7()}: converts HL7v2 XML to ER7 (pipe-delimited, CR between segments) with HAPI, in
 * the content's charset. XML with a document type declaration is refused: HL7v2 XML never needs
 * one, and refusing it means no external entity is ever resolved, whatever XML parser the server
 * provides.
 */
@ApplicationScoped
public class ToEr7Transformer implements Transformer {

  private final Hl7XmlCodec codec = new Hl7XmlCodec();

  public ToEr7Transformer() {}

  @Override
  public String name() {
    return "toEr7";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "no arguments", arguments, 0, 0);
    String step = name() + "()";
    return content -> {
      if (content.type() != ContentType.HL7V2_XML) {
        throw new TransformException(step + " works on " + ContentType.HL7V2_XML + " content; this content is " + content.type());
      }
      String xml = TransformSupport.text(content, step);
      String er7;
      try {
        er7 = codec.toEr7(codec.fromXml(xml));
      } catch (IllegalArgumentException e) {
        throw new TransformException(step + ": " + e.getMessage(), e);
      } catch (HL7Exception | RuntimeException e) {
        // HAPI reports unreadable XML with runtime exceptions as well as HL7Exception
        throw new TransformException(step + ": the content is not HL7v2 XML HAPI can read: " + e.getMessage(), e);
      }
      return TransformSupport.content(er7, ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, "the converted message");
    };
  }
}
