package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;

/**
 * SPM to Specimen (IG SPM[Specimen]): identifiers, type, collection (time, method, body site,
 * amount), received time, condition, description. The OBX segments after an SPM stay results of the
 * order and point at this Specimen, rather than being lost as in some converters.
 */
public final class SpecimenMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("SPM");
  }

  @Override
  public void map(Er7Segment spm, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    spm.handled();
    spm.use(1);
    Specimen specimen = new Specimen();
    Er7Field id = spm.field(2);
    Identifier business = null;
    if (id != null) {
      Identifier placer =
          context.types().entityIdentifier(id.sub(1, 1), id.sub(1, 2), id.sub(1, 3), id.sub(1, 4));
      Identifier filler =
          context.types().entityIdentifier(id.sub(2, 1), id.sub(2, 2), id.sub(2, 3), id.sub(2, 4));
      if (placer != null) {
        specimen.addIdentifier(placer);
      }
      if (filler != null) {
        specimen.addIdentifier(filler);
        business = filler;
      }
      business = business != null ? business : placer;
    }
    for (Er7Field parent : spm.fields(3)) {
      Identifier parentId =
          context
              .types()
              .entityIdentifier(
                  parent.sub(1, 1), parent.sub(1, 2), parent.sub(1, 3), parent.sub(1, 4));
      if (parentId != null) {
        specimen.addIdentifier(parentId);
      }
    }
    CodeableConcept type = context.types().codeableConcept(spm.field(4));
    if (type != null) {
      specimen.setType(type);
    }
    specimen.setSubject(context.patientReference());
    CodeableConcept method = context.types().codeableConcept(spm.field(7));
    if (method != null) {
      specimen.getCollection().setMethod(method);
    }
    CodeableConcept site = context.types().codeableConcept(spm.field(8));
    if (site != null) {
      specimen.getCollection().setBodySite(site);
    }
    Er7Field amount = spm.field(12);
    if (amount != null && DataTypes.decimal(amount.comp(1)) != null) {
      specimen
          .getCollection()
          .setQuantity(
              DataTypes.quantity(
                  DataTypes.decimal(amount.comp(1)), amount.sub(2, 1), amount.sub(2, 2)));
    }
    String description = spm.value(14);
    if (description != null) {
      specimen.addNote(new Annotation().setText(description));
    }
    Er7Field collected = spm.field(17);
    if (collected != null) {
      Period period =
          context.types().period(collected.comp(1), collected.comp(2), "SPM-17", spm.position());
      if (period != null && period.hasEnd()) {
        specimen.getCollection().setCollected(period);
      } else if (period != null) {
        specimen
            .getCollection()
            .setCollected(new DateTimeType(period.getStartElement().getValueAsString()));
      }
    }
    DateTimeType received = context.types().dateTime(spm, 18);
    if (received != null) {
      specimen.setReceivedTimeElement(received);
    }
    for (Er7Field condition : spm.fields(24)) {
      CodeableConcept concept = context.types().codeableConcept(condition);
      if (concept != null) {
        specimen.addCondition(concept);
      }
    }
    if (context.orderReference() != null) {
      specimen.addRequest(context.orderReference());
    }
    Reference reference = context.add(specimen, business);
    if (context.report() != null) {
      context.report().addSpecimen(new Reference(reference.getReference()));
    }
    if (context.order() != null) {
      context.order().addSpecimen(new Reference(reference.getReference()));
    }
    context.setSpecimen(specimen, reference);
  }
}
