package io.integrationengine.services.processing.transform;

import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.ConversionException;
import io.integrationengine.conversion.fhir.NotMappedNote;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * {@code toFhir()}, {@code toFhir(message)}: converts an ER7 message into a FHIR R4 Bundle
 * ({@code transaction} by default, with conditional updates on business identifiers; {@code
 * message} led by a MessageHeader), as {@code application/fhir+json} in UTF-8, with the
 * {@code hl7v2-fhir} converter (see docs/conversion.md). What the Bundle does not carry is
 * logged at INFO with the message's control id, by position and reason only: the values are
 * patient data.
 */
@ApplicationScoped
public class ToFhirTransformer implements Transformer {

  private static final Logger LOG = Logger.getLogger(ToFhirTransformer.class.getName());
  private static final FieldPath SENDER = FieldPath.parse("MSH-3.1");
  private static final FieldPath TYPE = FieldPath.parse("MSH-9");

  private FhirConversion conversion;

  /** For CDI. */
  public ToFhirTransformer() {}

  @Inject
  public ToFhirTransformer(FhirConversion conversion) {
    this.conversion = conversion;
  }

  @Override
  public String name() {
    return "toFhir";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "() or (transaction | message)", arguments, 0, 1);
    BundleKind kind = arguments.isEmpty() ? BundleKind.TRANSACTION : kind(arguments.get(0));
    String step = name() + "(" + kind.name().toLowerCase(Locale.ROOT) + ")";
    return content -> {
      if (content.type() != ContentType.HL7V2_ER7) {
        throw new TransformException(step + " works on " + ContentType.HL7V2_ER7 + " content; this content is " + content.type());
      }
      String er7 = TransformSupport.text(content, step);
      Er7Message message = TransformSupport.er7(er7, step);
      String description = TransformSupport.describe(message);
      FhirConversion.Converted converted;
      try {
        converted = conversion.hl7v2ToFhirJson(er7, kind);
      } catch (ConversionException e) {
        throw new TransformException(step + ": " + description + " cannot be converted to FHIR: " + e.getMessage(), e);
      }
      if (!converted.notMapped().isEmpty()) {
        LOG.info(() -> step + ": " + description + " (" + message.first(TYPE).orElse("no MSH-9") + " from " + message.first(SENDER).orElse("no MSH-3")
            + "): " + converted.notMapped().size() + " not in the Bundle (fields no mapping reads, segments, other notes): " + positions(converted.notMapped()));
      }
      return TransformSupport.content(converted.json(), ContentType.FHIR_JSON, StandardCharsets.UTF_8, step, description);
    };
  }

  private static BundleKind kind(String argument) {
    for (BundleKind kind : BundleKind.values()) {
      if (kind.name().equalsIgnoreCase(argument)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("toFhir: unknown Bundle type '" + argument + "'; one of "
        + Arrays.stream(BundleKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
  }

  /** Short for the common cases (unread field, unmapped segment), in full otherwise. */
  private static String positions(List<NotMappedNote> notes) {
    return notes.stream().map(n -> switch (n.reason()) {
      case "field not mapped" -> n.location();
      case "segment not mapped" -> n.location() + " (segment " + n.segmentPosition() + ")";
      default -> n.location() + " (segment " + n.segmentPosition() + "): " + n.reason();
    }).collect(Collectors.joining(", "));
  }
}
