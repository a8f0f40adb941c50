package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;

/**
 * AL1 and IAM to AllergyIntolerance (IG AL1[AllergyIntolerance], IAM[AllergyIntolerance]): allergen
 * code, category, criticality, reaction, onset, and for IAM the allergy's unique identifier.
 * Clinical status is "active" as the IG assigns: an AL1 lists a current allergy.
 */
public final class AllergyMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("AL1", "IAM");
  }

  @Override
  public void map(Er7Segment al1, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    al1.handled();
    al1.use(1);
    AllergyIntolerance allergy = new AllergyIntolerance();
    allergy.setPatient(context.patientReference());
    allergy.setClinicalStatus(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                "active",
                "Active")));
    CodeableConcept code = context.types().codeableConcept(al1.field(3));
    if (code != null) {
      allergy.setCode(code);
    }
    String category = al1.value(2);
    if (category != null) {
      ConceptMaps.code("AllergenType[AllergyIntoleranceCategory]", category)
          .ifPresent(
              c -> allergy.addCategory(AllergyIntolerance.AllergyIntoleranceCategory.fromCode(c)));
    }
    String severity = al1.value(4);
    if (severity != null) {
      ConceptMaps.code("AllergySeverity[AllergyIntolerance.criticality]", severity)
          .ifPresent(
              c ->
                  allergy.setCriticality(
                      AllergyIntolerance.AllergyIntoleranceCriticality.fromCode(c)));
    }
    AllergyIntolerance.AllergyIntoleranceReactionComponent reaction = null;
    for (Er7Field manifestation : al1.fields(5)) {
      CodeableConcept concept = context.types().codeableConcept(manifestation);
      if (concept != null) {
        if (reaction == null) {
          reaction = allergy.addReaction();
        }
        reaction.addManifestation(concept);
      }
    }
    boolean iam = "IAM".equals(al1.name());
    if (iam) {
      Identifier identifier = context.types().entityIdentifier(al1.field(7));
      if (identifier != null) {
        allergy.addIdentifier(identifier);
      }
      if ("D".equals(al1.value(6))) {
        allergy.setVerificationStatus(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                    "entered-in-error",
                    "Entered in Error")));
        allergy.setClinicalStatus(null);
      }
    }
    DateTimeType onset = context.types().dateTime(al1, iam ? 11 : 6);
    if (onset != null) {
      allergy.setOnset(onset);
    }
    if (context.encounterReference() != null) {
      allergy.setEncounter(context.encounterReference());
    }
    context.add(allergy, allergy.hasIdentifier() ? allergy.getIdentifierFirstRep() : null);
  }
}
