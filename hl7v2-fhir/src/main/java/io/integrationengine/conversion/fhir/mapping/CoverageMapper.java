package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * IN1 to Coverage (IG IN1[Coverage]): payor as an Organization entry (company name and id), plan
 * and group as Coverage.class, period, plan type, policy number as identifier.
 */
public final class CoverageMapper implements SegmentMapper {

  private static final String CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class";

  @Override
  public Set<String> segments() {
    return Set.of("IN1");
  }

  @Override
  public void map(Er7Segment in1, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    in1.handled();
    in1.use(1);
    Coverage coverage = new Coverage();
    coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
    coverage.setBeneficiary(context.patientReference());
    Er7Field companyId = in1.field(3);
    Identifier payorId = companyId == null ? null : context.types().identifier(companyId);
    String companyName = in1.value(4);
    Reference payor = context.organization(companyName, payorId);
    if (payor == null) {
      payor =
          context.organization(in1.value(2, 2) != null ? in1.value(2, 2) : "unknown payor", null);
    }
    coverage.addPayor(payor);
    String plan = in1.value(2, 1);
    if (plan != null) {
      coverage
          .addClass_()
          .setType(new CodeableConcept(new Coding(CLASS, "plan", "Plan")))
          .setValue(plan)
          .setName(in1.value(2, 2));
    }
    String group = in1.value(8);
    if (group != null) {
      coverage
          .addClass_()
          .setType(new CodeableConcept(new Coding(CLASS, "group", "Group")))
          .setValue(group)
          .setName(in1.value(9, 1));
    }
    Period period = context.types().period(in1.value(12), in1.value(13), "IN1-12", in1.position());
    if (period != null) {
      coverage.setPeriod(period);
    }
    CodeableConcept type = context.types().codeableConcept(in1.field(15));
    if (type != null) {
      coverage.setType(type);
    }
    Identifier policy = null;
    String policyNumber = in1.value(36);
    if (policyNumber != null) {
      policy = new Identifier().setValue(policyNumber);
      coverage.addIdentifier(policy);
      coverage.setSubscriberId(policyNumber);
    }
    CodeableConcept relationship = context.types().codeableConcept(in1.field(17));
    if (relationship != null) {
      coverage.setRelationship(
          new CodeableConcept()
              .setText(
                  relationship.hasText()
                      ? relationship.getText()
                      : relationship.getCodingFirstRep().getCode()));
    }
    if (in1.value(46) != null) {
      coverage.setDependent(in1.value(46));
    }
    context.add(coverage, policy);
  }
}
