package io.integrationengine.conversion.fhir;

import io.integrationengine.conversion.fhir.er7.Er7Segment;
import io.integrationengine.conversion.fhir.er7.SegmentedMessage;
import io.integrationengine.conversion.fhir.mapping.ConversionContext;
import io.integrationengine.conversion.fhir.mapping.SegmentMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Converts one HL7v2 ER7 message (versions 2.3 to 2.8, any delimiters, Z-segments allowed) into a
 * FHIR R4 Bundle following the HL7 v2-to-FHIR Implementation Guide. Segment mappers are found with
 * {@link ServiceLoader}; what no mapper uses comes back as {@link NotMappedNote}s. Instances are
 * immutable and thread-safe; build one and reuse it.
 */
public final class Hl7v2ToFhirConverter {

  private final List<SegmentMapper> mappers;
  private final Map<String, SegmentMapper> bySegment = new HashMap<>();

  public Hl7v2ToFhirConverter() {
    this(
        ServiceLoader.load(SegmentMapper.class, Hl7v2ToFhirConverter.class.getClassLoader())
            .stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  Hl7v2ToFhirConverter(List<SegmentMapper> mappers) {
    this.mappers = List.copyOf(mappers);
    for (SegmentMapper mapper : this.mappers) {
      for (String segment : mapper.segments()) {
        SegmentMapper previous = bySegment.putIfAbsent(segment, mapper);
        if (previous != null) {
          throw new IllegalStateException(
              "Segment "
                  + segment
                  + " claimed by "
                  + previous.getClass().getName()
                  + " and "
                  + mapper.getClass().getName());
        }
      }
    }
  }

  public ConversionResult convert(String er7) {
    return convert(er7, ConversionOptions.defaults());
  }

  /**
   * @throws ConversionException when the text is not an HL7v2 ER7 message at all
   */
  public ConversionResult convert(String er7, ConversionOptions options) {
    SegmentedMessage message = SegmentedMessage.parse(er7);
    Bundle bundle = new Bundle().setType(options.bundleKind().bundleType());
    ConversionContext context = new ConversionContext(message, options.bundleKind(), bundle);
    TreeSet<Integer> phases = new TreeSet<>();
    mappers.forEach(m -> phases.add(m.phase()));
    for (int phase : phases) {
      for (Er7Segment segment : message.segments()) {
        SegmentMapper mapper = bySegment.get(segment.name());
        if (mapper != null && mapper.phase() == phase) {
          try {
            mapper.map(segment, context);
          } catch (RuntimeException e) {
            // One odd segment must not cost the whole message: report it and go on.
            context.note(
                segment.name(),
                segment.position(),
                null,
                "segment could not be mapped: " + e.getMessage());
          }
        }
      }
    }
    mappers.forEach(m -> m.finish(context));
    return new ConversionResult(bundle, notes(message, context));
  }

  private static List<NotMappedNote> notes(SegmentedMessage message, ConversionContext context) {
    List<NotMappedNote> notes = new ArrayList<>(context.notes());
    if (message.trailingSegments() > 0) {
      notes.add(
          new NotMappedNote(
              "MSH",
              message.trailingStart(),
              null,
              "a further message follows in the same text ("
                  + message.trailingSegments()
                  + " segments) and is not converted: split batches before converting"));
    }
    for (Er7Segment segment : message.segments()) {
      if (!segment.isHandled()) {
        notes.add(
            new NotMappedNote(segment.name(), segment.position(), null, "segment not mapped"));
        continue;
      }
      for (Er7Segment.UnusedField field : segment.unusedFields()) {
        String raw = field.rawValue();
        notes.add(
            new NotMappedNote(
                segment.name() + "-" + field.field(),
                segment.position(),
                raw.length() > 120 ? raw.substring(0, 117) + "..." : raw,
                "field not mapped"));
      }
    }
    notes.sort(Comparator.comparingInt(NotMappedNote::segmentPosition));
    return notes;
  }
}
