package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * PV1 and PV2 to Encounter (IG PV1[Encounter], PV2[Encounter]): class, status, visit number,
 * period, location (as Location entries), attending/referring/consulting/admitting practitioners
 * (as Practitioner entries), service, admit source, discharge disposition, admit reason.
 */
public final class EncounterMapper implements SegmentMapper {

  private static final String PARTICIPATION =
      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

  @Override
  public Set<String> segments() {
    return Set.of("PV1", "PV2");
  }

  @Override
  public int phase() {
    return MappingPhase.VISIT;
  }

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    if ("PV2".equals(segment.name())) {
      mapPv2(segment, context);
    } else if (context.encounter() == null) {
      mapPv1(segment, context);
    }
  }

  private void mapPv1(Er7Segment pv1, ConversionContext context) {
    pv1.handled();
    pv1.use(1);
    Encounter encounter = new Encounter();
    String patientClass = pv1.value(2);
    encounter.setClass_(
        ConceptMaps.map("PatientClass[EncounterClass]", patientClass)
            .orElseGet(
                () ->
                    new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown")));
    Period period = context.types().period(pv1.value(44), pv1.value(45), "PV1-44", pv1.position());
    if (period != null) {
      encounter.setPeriod(period);
    }
    encounter.setStatus(status(pv1, context));
    Er7Field visit = pv1.field(19);
    Identifier visitNumber = null;
    if (visit != null) {
      visitNumber = context.types().identifier(visit);
      if (visitNumber != null) {
        if (!visitNumber.hasType()) {
          context.types().identifierType(visitNumber, "VN");
        }
        encounter.addIdentifier(visitNumber);
      }
    }
    Er7Field alternate = pv1.field(50);
    if (alternate != null && context.types().identifier(alternate) != null) {
      encounter.addIdentifier(context.types().identifier(alternate));
    }
    if (context.patientReference() != null) {
      encounter.setSubject(context.patientReference());
    }
    CodeableConcept admissionType = context.types().codeableConcept(pv1.field(4));
    if (admissionType != null) {
      encounter.addType(admissionType);
    }
    CodeableConcept patientType = context.types().codeableConcept(pv1.field(18));
    if (patientType != null) {
      encounter.addType(patientType);
    }
    CodeableConcept service = context.types().codeableConcept(pv1.field(10));
    if (service != null) {
      encounter.setServiceType(service);
    }
    participants(pv1, 7, "ATND", "attender", encounter, context);
    participants(pv1, 8, "REF", "referrer", encounter, context);
    participants(pv1, 9, "CON", "consultant", encounter, context);
    participants(pv1, 17, "ADM", "admitter", encounter, context);
    location(pv1.field(3), Encounter.EncounterLocationStatus.ACTIVE, encounter, context);
    location(pv1.field(6), Encounter.EncounterLocationStatus.COMPLETED, encounter, context);
    location(pv1.field(11), Encounter.EncounterLocationStatus.RESERVED, encounter, context);
    CodeableConcept admitSource = context.types().codeableConcept(pv1.field(14));
    if (admitSource != null) {
      encounter.getHospitalization().setAdmitSource(admitSource);
    }
    CodeableConcept readmission = context.types().codeableConcept(pv1.field(13));
    if (readmission != null) {
      encounter.getHospitalization().setReAdmission(readmission);
    }
    CodeableConcept diet = context.types().codeableConcept(pv1.field(38));
    if (diet != null) {
      encounter.getHospitalization().addDietPreference(diet);
    }
    CodeableConcept disposition = context.types().codeableConcept(pv1.field(36));
    if (disposition != null) {
      encounter.getHospitalization().setDischargeDisposition(disposition);
    }
    Reference reference = context.add(encounter, visitNumber);
    context.setEncounter(encounter, reference);
  }

  private static EncounterStatus status(Er7Segment pv1, ConversionContext context) {
    String event = context.message().header().value(9, 2);
    if (pv1.value(45) != null || "A03".equals(event)) {
      return EncounterStatus.FINISHED;
    }
    if ("A11".equals(event) || "A38".equals(event) || "A27".equals(event)) {
      return EncounterStatus.CANCELLED;
    }
    if ("A05".equals(event) || "A14".equals(event) || "P".equals(pv1.value(2))) {
      return EncounterStatus.PLANNED;
    }
    if ("A01".equals(event)
        || "A02".equals(event)
        || "A04".equals(event)
        || pv1.value(44) != null) {
      return EncounterStatus.INPROGRESS;
    }
    return EncounterStatus.UNKNOWN;
  }

  private static void participants(
      Er7Segment pv1,
      int field,
      String code,
      String display,
      Encounter encounter,
      ConversionContext context) {
    for (Er7Field xcn : pv1.fields(field)) {
      Reference practitioner = context.practitioner(xcn);
      if (practitioner != null) {
        encounter
            .addParticipant()
            .addType(new CodeableConcept(new Coding(PARTICIPATION, code, display)))
            .setIndividual(practitioner);
      }
    }
  }

  /** PL to a Location entry named from its parts (point of care, room, bed, facility, ...). */
  static void location(
      Er7Field pl,
      Encounter.EncounterLocationStatus status,
      Encounter encounter,
      ConversionContext context) {
    Reference reference = locationReference(pl, context);
    if (reference != null) {
      encounter.addLocation().setLocation(reference).setStatus(status);
    }
  }

  /**
   * The levels of a PL, least granular first, with the location-physical-type code each gets: the
   * IG's PL[Location] hierarchy (bed partOf room partOf floor partOf point of care partOf building
   * partOf facility). The IG leaves the point of care's type open; {@code wa} (ward) is used.
   */
  static final List<Level> LEVELS =
      List.of(
          new Level(4, "si", "Site"),
          new Level(7, "bu", "Building"),
          new Level(1, "wa", "Ward"),
          new Level(8, "lvl", "Level"),
          new Level(2, "ro", "Room"),
          new Level(3, "bd", "Bed"));

  /** One PL component as a Location level. */
  record Level(int component, String type, String display) {
    static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type";

    String value(Er7Field pl) {
      // PL-1 and PL-4 are HD (IS in older versions): their first subcomponent
      return component == 1 || component == 4 ? pl.sub(component, 1) : pl.comp(component);
    }
  }

  /**
   * PL to Location entries (IG PL[Location]): one per level sent, each {@code partOf} the next less
   * granular; the reference is to the most granular, displayed with all the parts (point of care,
   * room, bed, facility, building, floor, description).
   */
  static Reference locationReference(Er7Field pl, ConversionContext context) {
    if (pl == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (int component : new int[] {1, 2, 3, 4, 7, 8, 9}) {
      String part = component == 1 || component == 4 ? pl.sub(component, 1) : pl.comp(component);
      if (part != null) {
        parts.add(part);
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    Reference parent = null;
    Location location = null;
    for (Level level : LEVELS) {
      String value = level.value(pl);
      if (value == null) {
        continue;
      }
      location = new Location().setName(value);
      location.setMode(Location.LocationMode.INSTANCE);
      location.setPhysicalType(
          new CodeableConcept(new Coding(Level.SYSTEM, level.type(), level.display())));
      if (parent != null) {
        location.setPartOf(parent);
      }
      parent = context.add(location, null).setDisplay(value);
    }
    String description = pl.comp(9) != null ? pl.comp(9) : pl.comp(5);
    if (location == null) {
      // only a description: one Location named by it
      location = new Location().setName(description).setMode(Location.LocationMode.INSTANCE);
      parent = context.add(location, null);
    } else if (description != null) {
      location.setDescription(description);
    }
    return new Reference(parent.getReference()).setDisplay(String.join(" ", parts));
  }

  private void mapPv2(Er7Segment pv2, ConversionContext context) {
    Encounter encounter = context.encounter();
    if (encounter == null) {
      return;
    }
    pv2.handled();
    CodeableConcept reason = context.types().codeableConcept(pv2.field(3));
    if (reason != null) {
      encounter.addReasonCode(reason);
    }
    String text = pv2.value(12);
    if (text != null && reason == null) {
      encounter.addReasonCode(new CodeableConcept().setText(text));
    }
    Er7Field priorLocation = pv2.field(1);
    location(priorLocation, Encounter.EncounterLocationStatus.PLANNED, encounter, context);
    CodeableConcept priority = context.types().codeableConcept(pv2.field(25));
    if (priority != null) {
      encounter.setPriority(priority);
    }
  }
}
