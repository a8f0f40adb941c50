package io.integrationengine.services.processing.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.VersionUtil;
import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.ConversionException;
import io.integrationengine.conversion.fhir.ConversionOptions;
import io.integrationengine.conversion.fhir.ConversionResult;
import io.integrationengine.conversion.fhir.FhirToHl7v2Converter;
import io.integrationengine.conversion.fhir.Hl7v2Event;
import io.integrationengine.conversion.fhir.Hl7v2ToFhirConverter;
import io.integrationengine.conversion.fhir.NotMappedNote;
import io.integrationengine.core.model.ContentType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.logging.Logger;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The engine's one way into the HL7v2 / FHIR R4 converters, shared by the {@code toFhir} and
 * {@code fromFhir} transforms and {@code /api/convert}, so a route and an analyst's request give
 * the same result.
 * Holds the converter and the R4 {@link FhirContext} (both thread-safe and costly to build: the
 * context scans the whole R4 model, so it is built once, on first use).
 */
@ApplicationScoped
public class FhirConversion {

  private static final Logger LOG = Logger.getLogger(FhirConversion.class.getName());

  private final Hl7v2ToFhirConverter toFhir = new Hl7v2ToFhirConverter();
  private final FhirToHl7v2Converter toHl7v2 = new FhirToHl7v2Converter();
  private volatile FhirContext context;

  public FhirConversion() {}

  /** An HL7v2 message as FHIR JSON, with what the Bundle does not carry. */
  public record Converted(String json, List<NotMappedNote> notMapped) {}

  /**
   * Converts one ER7 message to a Bundle of {@code kind}, as compact FHIR JSON.
   *
   * @throws ConversionException when the text is not an HL7v2 ER7 message at all
   */
  public Converted hl7v2ToFhirJson(String er7, BundleKind kind) {
    ConversionResult result = hl7v2ToFhir(er7, kind);
    return new Converted(encode(result.bundle(), ContentType.FHIR_JSON, false), result.notMapped());
  }

  /**
   * Converts one ER7 message to a Bundle of {@code kind}.
   *
   * @throws ConversionException when the text is not an HL7v2 ER7 message at all
   */
  public ConversionResult hl7v2ToFhir(String er7, BundleKind kind) {
    return toFhir.convert(er7, ConversionOptions.of(kind));
  }

  /**
   * Converts a Patient, or a Bundle with one or with results, into an HL7v2 v2.5.1 ER7 message.
   *
   * @throws ConversionException when the input lacks what the event needs
   */
  public String fhirToHl7v2(IBaseResource resource, Hl7v2Event event) {
    return toHl7v2.convert(resource, event);
  }

  /**
   * Reads a FHIR R4 resource.
   *
   * @param format {@link ContentType#FHIR_JSON} or {@link ContentType#FHIR_XML}
   * @throws DataFormatException saying why the text is not one (HAPI's message)
   */
  public IBaseResource parse(String text, ContentType format) {
    IParser parser = switch (format) {
      case FHIR_JSON -> context().newJsonParser();
      case FHIR_XML -> context().newXmlParser();
      default -> throw new IllegalArgumentException(format + " is not a FHIR encoding");
    };
    return parser.parseResource(text);
  }

  /**
   * A resource as FHIR JSON or XML.
   *
   * @param format {@link ContentType#FHIR_JSON} or {@link ContentType#FHIR_XML}
   */
  public String encode(IBaseResource resource, ContentType format, boolean pretty) {
    IParser parser = switch (format) {
      case FHIR_JSON -> context().newJsonParser();
      case FHIR_XML -> context().newXmlParser();
      default -> throw new IllegalArgumentException(format + " is not a FHIR encoding");
    };
    parser.setPrettyPrint(pretty);
    return parser.encodeResourceToString(resource);
  }

  /** The R4 context, built on first use. */
  public FhirContext context() {
    FhirContext built = context;
    if (built == null) {
      synchronized (this) {
        built = context;
        if (built == null) {
          // the one R4 context of the application (FHIRPath in route conditions uses it too)
          built = FhirContext.forR4Cached();
          context = built;
          // Payara has a Jackson of its own: say which one HAPI's JSON parser really got
          LOG.info(() -> "FHIR R4 context ready: HAPI FHIR " + VersionUtil.getVersion() + ", " + JacksonInUse.describe());
        }
      }
    }
    return built;
  }

  /** Where the Jackson that HAPI FHIR's JSON parser links against comes from. */
  static final class JacksonInUse {

    private JacksonInUse() {}

    static String describe() {
      try {
        Class<?> versionClass = Class.forName("com.fasterxml.jackson.databind.cfg.PackageVersion", true, FhirContext.class.getClassLoader());
        Object version = versionClass.getField("VERSION").get(null);
        var source = versionClass.getProtectionDomain().getCodeSource();
        return "Jackson " + version + " from " + (source == null || source.getLocation() == null ? "an unknown location" : source.getLocation());
      } catch (ReflectiveOperationException | RuntimeException e) {
        return "Jackson not identified (" + e + ")";
      }
    }
  }
}
