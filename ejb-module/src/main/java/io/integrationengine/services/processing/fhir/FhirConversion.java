package io.integrationengine.services.processing.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.VersionUtil;
import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.ConversionException;
import io.integrationengine.conversion.fhir.ConversionOptions;
import io.integrationengine.conversion.fhir.ConversionResult;
import io.integrationengine.conversion.fhir.Hl7v2ToFhirConverter;
import io.integrationengine.conversion.fhir.NotMappedNote;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.logging.Logger;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The engine's one way into the HL7v2 / FHIR R4 converters, shared by the {@code toFhir}
 * transform and {@code /api/convert}, so a route and an analyst's request give the same Bundle.
 * Holds the converter and the R4 {@link FhirContext} (both thread-safe and costly to build: the
 * context scans the whole R4 model, so it is built once, on first use).
 */
@ApplicationScoped
public class FhirConversion {

  private static final Logger LOG = Logger.getLogger(FhirConversion.class.getName());

  private final Hl7v2ToFhirConverter toFhir = new Hl7v2ToFhirConverter();
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
    ConversionResult result = toFhir.convert(er7, ConversionOptions.of(kind));
    return new Converted(json(result.bundle(), false), result.notMapped());
  }

  /** A resource as FHIR JSON. */
  public String json(IBaseResource resource, boolean pretty) {
    IParser parser = context().newJsonParser();
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
          built = FhirContext.forR4();
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
