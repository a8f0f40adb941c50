package io.integrationengine.services.processing.transform;

import ca.uhn.fhir.parser.DataFormatException;
import io.integrationengine.conversion.fhir.ConversionException;
import io.integrationengine.conversion.fhir.Hl7v2Event;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.fhir.FhirConversion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * {@code fromFhir(ADT^A08)}, {@code fromFhir(ORU^R01)}: converts FHIR R4 content (JSON or XML; a
 * Patient, or a Bundle with a Patient and Encounter, or with Observations and DiagnosticReports)
 * into an HL7v2 v2.5.1 ER7 message of the event named (ADT^A01, A04, A08 or ORU^R01), UTF-8 with
 * MSH-18 saying so, built with HAPI's typed model (see docs/conversion.md).
 */
@ApplicationScoped
public class FromFhirTransformer implements Transformer {

  private FhirConversion conversion;

  /** For CDI. */
  public FromFhirTransformer() {}

  @Inject
  public FromFhirTransformer(FhirConversion conversion) {
    this.conversion = conversion;
  }

  @Override
  public String name() {
    return "fromFhir";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(event), e.g. fromFhir(ADT^A08)", arguments, 1, 1);
    Hl7v2Event event;
    try {
      event = Hl7v2Event.of(arguments.get(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name() + ": " + e.getMessage(), e);
    }
    String step = name() + "(" + event + ")";
    return content -> {
      if (content.type() != ContentType.FHIR_JSON && content.type() != ContentType.FHIR_XML) {
        throw new TransformException(step + " works on " + ContentType.FHIR_JSON + " or " + ContentType.FHIR_XML + " content; this content is " + content.type());
      }
      String text = TransformSupport.text(content, step);
      try {
        IBaseResource resource = conversion.parse(text, content.type());
        String er7 = conversion.fhirToHl7v2(resource, event);
        return TransformSupport.content(er7, ContentType.HL7V2_ER7, StandardCharsets.UTF_8, step, describe(resource));
      } catch (DataFormatException e) {
        throw new TransformException(step + ": the content is not FHIR R4 " + (content.type() == ContentType.FHIR_XML ? "XML" : "JSON") + ": " + e.getMessage(), e);
      } catch (ConversionException e) {
        throw new TransformException(step + ": " + e.getMessage(), e);
      }
    };
  }

  private static String describe(IBaseResource resource) {
    return resource.fhirType() + (resource.getIdElement().hasIdPart() ? "/" + resource.getIdElement().getIdPart() : "");
  }
}
