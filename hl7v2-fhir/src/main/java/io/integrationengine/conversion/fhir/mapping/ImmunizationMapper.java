package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.math.BigDecimal;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * RXA and RXR to Immunization (IG RXA[Immunization], RXR[Immunization]) with every element R4
 * requires (status, vaccineCode, patient, occurrence): dose, lot, expiry, manufacturer,
 * administering provider, primary source, route and site. The ORC before the RXA gives the business
 * identifier, so a resent VXU updates the same Immunization.
 */
public final class ImmunizationMapper implements SegmentMapper {

  private static final String ROLE = "http://terminology.hl7.org/CodeSystem/v2-0443";

  @Override
  public Set<String> segments() {
    return Set.of("RXA", "RXR");
  }

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    if ("RXR".equals(segment.name())) {
      mapRxr(segment, context);
    } else {
      mapRxa(segment, context);
    }
  }

  private void mapRxa(Er7Segment rxa, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    rxa.handled();
    rxa.use(1, 2);
    Immunization immunization = new Immunization();
    Er7Segment orc = context.pendingOrc();
    Identifier identifier = null;
    if (orc != null) {
      context.setPendingOrc(null);
      orc.handled();
      orc.use(1, 2, 3, 12);
      Identifier filler = context.types().entityIdentifier(orc.field(3));
      Identifier placer = context.types().entityIdentifier(orc.field(2));
      if (filler != null) {
        immunization.addIdentifier(filler);
      }
      if (placer != null) {
        immunization.addIdentifier(placer);
      }
      identifier = filler != null ? filler : placer;
      Reference orderer = context.practitioner(orc.field(12));
      if (orderer != null) {
        immunization
            .addPerformer()
            .setActor(orderer)
            .setFunction(new CodeableConcept(new Coding(ROLE, "OP", "Ordering Provider")));
      }
    }
    CodeableConcept vaccine = context.types().codeableConcept(rxa.field(5));
    immunization.setVaccineCode(
        vaccine != null ? vaccine : new CodeableConcept().setText("unknown"));
    immunization.setPatient(context.patientReference());
    if (context.encounterReference() != null) {
      immunization.setEncounter(context.encounterReference());
    }
    DateTimeType occurrence = context.types().dateTime(rxa, 3);
    if (occurrence != null) {
      immunization.setOccurrence(occurrence);
    } else {
      immunization.setOccurrence(new StringType(rxa.value(3) != null ? rxa.value(3) : "unknown"));
    }
    immunization.setStatus(status(rxa));
    if (immunization.getStatus() == Immunization.ImmunizationStatus.NOTDONE) {
      CodeableConcept reason = context.types().codeableConcept(rxa.field(18));
      if (reason != null) {
        immunization.setStatusReason(reason);
      }
    }
    BigDecimal amount = DataTypes.decimal(rxa.value(6));
    if (amount != null && amount.compareTo(new BigDecimal("999")) != 0) {
      Er7Field units = rxa.field(7);
      immunization.setDoseQuantity(
          DataTypes.quantity(
              amount, units == null ? null : units.comp(1), units == null ? null : units.comp(2)));
    }
    String source = rxa.value(9, 1);
    if (source != null) {
      immunization.setPrimarySource("00".equals(source));
      if (!"00".equals(source)) {
        CodeableConcept origin = context.types().codeableConcept(rxa.field(9));
        if (origin != null) {
          immunization.setReportOrigin(origin);
        }
      }
    }
    for (Er7Field xcn : rxa.fields(10)) {
      Reference actor = context.practitioner(xcn);
      if (actor != null) {
        immunization
            .addPerformer()
            .setActor(actor)
            .setFunction(new CodeableConcept(new Coding(ROLE, "AP", "Administering Provider")));
      }
    }
    String lot = rxa.value(15);
    if (lot != null) {
      immunization.setLotNumber(lot);
    }
    DateType expiry = DateTimes.date(rxa.value(16));
    if (expiry != null) {
      immunization.setExpirationDateElement(expiry);
    }
    Er7Field manufacturer = rxa.field(17);
    if (manufacturer != null) {
      Identifier mvx = null;
      if (manufacturer.comp(1) != null) {
        mvx = new Identifier().setValue(manufacturer.comp(1));
        if ("MVX".equalsIgnoreCase(manufacturer.comp(3))) {
          mvx.setSystem("http://terminology.hl7.org/CodeSystem/MVX");
        }
      }
      String name = manufacturer.comp(2) != null ? manufacturer.comp(2) : manufacturer.comp(1);
      immunization.setManufacturer(context.organization(name, mvx));
    }
    Reference reference = context.add(immunization, identifier);
    context.setImmunization(immunization, reference);
  }

  private static Immunization.ImmunizationStatus status(Er7Segment rxa) {
    if ("D".equals(rxa.value(21))) {
      return Immunization.ImmunizationStatus.ENTEREDINERROR;
    }
    String completion = rxa.value(20);
    if (completion == null) {
      return Immunization.ImmunizationStatus.COMPLETED;
    }
    return ConceptMaps.code("CompletionStatus", completion)
        .map(
            code ->
                "not-done".equals(code)
                    ? Immunization.ImmunizationStatus.NOTDONE
                    : Immunization.ImmunizationStatus.COMPLETED)
        .orElse(Immunization.ImmunizationStatus.COMPLETED);
  }

  private void mapRxr(Er7Segment rxr, ConversionContext context) {
    Immunization immunization = context.immunization();
    if (immunization == null) {
      return;
    }
    rxr.handled();
    CodeableConcept route = context.types().codeableConcept(rxr.field(1));
    if (route != null) {
      immunization.setRoute(route);
    }
    CodeableConcept site = context.types().codeableConcept(rxr.field(2));
    if (site != null) {
      immunization.setSite(site);
    }
  }
}
