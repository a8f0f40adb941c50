package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * NTE to an Annotation on the resource made from the segment just before it (IG NTE[Observation],
 * NTE[ServiceRequest], NTE[Appointment-Comment]): Observation, ServiceRequest, Specimen,
 * Immunization or Appointment. An NTE with nothing to annotate (e.g. after PID) is reported as not
 * mapped.
 */
public final class NoteMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("NTE");
  }

  @Override
  public void map(Er7Segment nte, ConversionContext context) {
    Object target = context.noteTarget();
    List<String> lines = new ArrayList<>();
    for (Er7Field line : nte.fields(3)) {
      if (line.comp(1) != null) {
        lines.add(line.comp(1).replace("\\.br\\", "\n"));
      }
    }
    if (lines.isEmpty() || target == null) {
      return;
    }
    Annotation annotation = new Annotation().setText(String.join("\n", lines));
    Er7Field author = nte.field(5);
    if (author != null) {
      String name = author.comp(2) != null ? author.comp(2) : author.comp(1);
      if (author.comp(3) != null && author.comp(2) != null) {
        name = author.comp(3) + " " + author.comp(2);
      }
      annotation.setAuthor(new org.hl7.fhir.r4.model.StringType(name));
    }
    DateTimeType time = context.types().dateTime(nte, 6);
    if (time != null) {
      annotation.setTimeElement(time);
    }
    if (target instanceof Observation o) {
      o.addNote(annotation);
    } else if (target instanceof ServiceRequest s) {
      s.addNote(annotation);
    } else if (target instanceof Specimen s) {
      s.addNote(annotation);
    } else if (target instanceof Immunization i) {
      i.addNote(annotation);
    } else if (target instanceof org.hl7.fhir.r4.model.Appointment a) {
      // IG NTE[Appointment-Comment]: R4 Appointment has one comment string, so notes are appended.
      a.setComment(
          a.hasComment() ? a.getComment() + "\n" + annotation.getText() : annotation.getText());
    } else {
      return;
    }
    nte.handled();
    nte.use(1, 2, 4);
  }
}
