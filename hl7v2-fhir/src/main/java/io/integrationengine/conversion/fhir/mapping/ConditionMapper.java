package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * DG1 to Condition (IG DG1[Condition]) categorised as an encounter diagnosis, linked from
 * Encounter.diagnosis (IG DG1[Encounter]) with its rank when the message has a visit.
 */
public final class ConditionMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("DG1");
  }

  @Override
  public void map(Er7Segment dg1, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    dg1.handled();
    dg1.use(1, 2);
    Condition condition = new Condition();
    condition.setSubject(context.patientReference());
    condition.addCategory(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-category",
                "encounter-diagnosis",
                "Encounter Diagnosis")));
    CodeableConcept code = context.types().codeableConcept(dg1.field(3));
    String description = dg1.value(4);
    if (code == null && description != null) {
      code = new CodeableConcept().setText(description);
    } else if (code != null && description != null && !code.hasText()) {
      code.setText(description);
    }
    if (code != null) {
      condition.setCode(code);
    }
    DateTimeType onset = context.types().dateTime(dg1, 5);
    if (onset != null) {
      condition.setOnset(onset);
    }
    Reference asserter = context.practitioner(dg1.field(16));
    if (asserter != null) {
      condition.setAsserter(asserter);
    }
    DateTimeType recorded = context.types().dateTime(dg1, 19);
    if (recorded != null) {
      condition.setRecordedDateElement(recorded);
    }
    Identifier identifier = context.types().entityIdentifier(dg1.field(20));
    if (identifier != null) {
      condition.addIdentifier(identifier);
    }
    if (context.encounterReference() != null) {
      condition.setEncounter(context.encounterReference());
    }
    Reference reference = context.add(condition, identifier);
    if (context.encounter() != null) {
      var diagnosis =
          context.encounter().addDiagnosis().setCondition(new Reference(reference.getReference()));
      CodeableConcept use = context.types().codeableConcept(dg1.field(6));
      if (use != null) {
        diagnosis.setUse(use);
      }
      String priority = dg1.value(15);
      if (priority != null && priority.matches("[1-9]\\d{0,5}")) {
        diagnosis.setRank(Integer.parseInt(priority));
      }
    }
  }
}
