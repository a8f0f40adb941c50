package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * PR1 to Procedure (IG PR1[Procedure]): code, description, time, performers (anesthesiologist,
 * surgeon, procedure practitioner), identifier. Status is "completed" as the IG assigns.
 */
public final class ProcedureMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("PR1");
  }

  @Override
  public void map(Er7Segment pr1, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    pr1.handled();
    pr1.use(1, 2);
    Procedure procedure = new Procedure();
    procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
    procedure.setSubject(context.patientReference());
    CodeableConcept code = context.types().codeableConcept(pr1.field(3));
    String description = pr1.value(4);
    if (code == null && description != null) {
      code = new CodeableConcept().setText(description);
    } else if (code != null && description != null && !code.hasText()) {
      code.setText(description);
    }
    if (code != null) {
      procedure.setCode(code);
    }
    DateTimeType performed = context.types().dateTime(pr1, 5);
    if (performed != null) {
      procedure.setPerformed(performed);
    }
    CodeableConcept category = context.types().codeableConcept(pr1.field(6));
    if (category != null) {
      procedure.setCategory(category);
    }
    for (int field : new int[] {8, 11, 12}) {
      for (Er7Field xcn : pr1.fields(field)) {
        Reference actor = context.practitioner(xcn);
        if (actor != null) {
          procedure.addPerformer().setActor(actor);
        }
      }
    }
    Identifier identifier = context.types().entityIdentifier(pr1.field(19));
    if (identifier != null) {
      procedure.addIdentifier(identifier);
    }
    if (context.encounterReference() != null) {
      procedure.setEncounter(context.encounterReference());
    }
    context.add(procedure, identifier);
  }
}
