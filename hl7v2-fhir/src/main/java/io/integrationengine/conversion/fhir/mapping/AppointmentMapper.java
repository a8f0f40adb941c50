package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.math.BigDecimal;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * SCH with AIS, AIG, AIL and AIP to Appointment (IG SCH[Appointment],
 * AIS/AIG/AIL/AIP[Appointment]). FHIR needs start and end as instants (with offsets): a slot sent
 * without an offset goes to requestedPeriod instead, and such an appointment can only be "proposed"
 * (R4 invariant app-3), which is reported. Participants are the patient, services, resources,
 * locations, personnel and SCH contacts; SCH-26/27 become the ServiceRequest it is based on.
 */
public final class AppointmentMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("SCH", "AIS", "AIG", "AIL", "AIP");
  }

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    switch (segment.name()) {
      case "SCH" -> mapSch(segment, context);
      case "AIS" -> mapAis(segment, context);
      case "AIG" -> resource(segment, context);
      case "AIL" -> location(segment, context);
      case "AIP" -> personnel(segment, context);
      default -> {}
    }
  }

  private void mapSch(Er7Segment sch, ConversionContext context) {
    sch.handled();
    Appointment a = new Appointment();
    Identifier placer = context.types().entityIdentifier(sch.field(1));
    Identifier filler = context.types().entityIdentifier(sch.field(2));
    if (placer != null) {
      a.addIdentifier(placer);
    }
    if (filler != null) {
      a.addIdentifier(filler);
    }
    CodeableConcept reason = context.types().codeableConcept(sch.field(7));
    if (reason != null) {
      a.addReasonCode(reason);
    }
    CodeableConcept type = context.types().codeableConcept(sch.field(8));
    if (type != null) {
      a.setAppointmentType(type);
    }
    BigDecimal duration = DataTypes.decimal(sch.value(9));
    if (duration != null && duration.signum() > 0 && duration.scale() <= 0) {
      String unit = sch.value(10);
      int minutes =
          duration.intValue()
              * ("H".equalsIgnoreCase(unit) || "HR".equalsIgnoreCase(unit) ? 60 : 1);
      a.setMinutesDuration(minutes);
    }
    Er7Field timing = sch.field(11);
    if (timing != null) {
      setTimes(a, timing.comp(4), timing.comp(5), sch, context);
    }
    String comment = sch.value(6, 2) != null ? sch.value(6, 2) : sch.value(6, 1);
    if (comment != null) {
      a.setDescription(comment);
    }
    String status = sch.value(25, 1);
    a.setStatus(
        ConceptMaps.code("FillerStatusCodes[Appointment]", status)
            .map(AppointmentStatus::fromCode)
            .orElse(AppointmentStatus.BOOKED));
    if (context.patientReference() != null) {
      a.addParticipant()
          .setActor(context.patientReference())
          .setStatus(ParticipationStatus.ACCEPTED);
    }
    for (int field : new int[] {12, 16, 20}) {
      Reference person = context.practitioner(sch.field(field));
      if (person != null) {
        a.addParticipant().setActor(person).setStatus(ParticipationStatus.ACCEPTED);
      }
    }
    basedOn(sch, a, context);
    context.setAppointment(a);
    context.add(a, filler != null ? filler : placer);
    context.setNoteTarget(a);
  }

  /**
   * SCH-26/27 order numbers: the ServiceRequest the appointment fulfils (IG SCH[ServiceRequest]).
   */
  private static void basedOn(Er7Segment sch, Appointment appointment, ConversionContext context) {
    Identifier placer = context.types().entityIdentifier(sch.field(26));
    Identifier filler = context.types().entityIdentifier(sch.field(27));
    if ((placer == null && filler == null) || context.patientReference() == null) {
      return;
    }
    ServiceRequest request = new ServiceRequest();
    request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    request.setSubject(context.patientReference());
    if (placer != null) {
      request.addIdentifier(placer);
    }
    if (filler != null) {
      request.addIdentifier(filler);
    }
    appointment.addBasedOn(context.add(request, placer != null ? placer : filler));
  }

  /** Start and end only as instants; otherwise requestedPeriod at the precision sent. */
  private void setTimes(
      Appointment a, String start, String end, Er7Segment segment, ConversionContext context) {
    InstantType startInstant = DateTimes.instant(start);
    InstantType endInstant = DateTimes.instant(end);
    if (startInstant != null && endInstant != null) {
      a.setStartElement(startInstant);
      a.setEndElement(endInstant);
    } else if (startInstant != null && a.hasMinutesDuration()) {
      a.setStartElement(startInstant);
      a.setEnd(
          new java.util.Date(startInstant.getValue().getTime() + a.getMinutesDuration() * 60_000L));
      a.getEndElement().setTimeZone(startInstant.getTimeZone());
    } else if (start != null) {
      Period period = context.types().period(start, end, segment.name(), segment.position());
      if (period != null) {
        a.addRequestedPeriod(period);
      }
    }
  }

  private void mapAis(Er7Segment ais, ConversionContext context) {
    Appointment appointment = context.appointment();
    if (appointment == null) {
      return;
    }
    ais.handled();
    ais.use(1, 2);
    CodeableConcept service = context.types().codeableConcept(ais.field(3));
    if (service != null) {
      appointment.addServiceType(service);
    }
    if (!appointment.hasStart() && ais.value(4) != null) {
      BigDecimal duration = DataTypes.decimal(ais.value(7));
      if (duration != null
          && duration.scale() <= 0
          && duration.signum() > 0
          && !appointment.hasMinutesDuration()) {
        appointment.setMinutesDuration(duration.intValue());
      }
      setTimes(appointment, ais.value(4), null, ais, context);
    }
  }

  private void resource(Er7Segment aig, ConversionContext context) {
    Appointment appointment = context.appointment();
    if (appointment == null) {
      return;
    }
    CodeableConcept resource = context.types().codeableConcept(aig.field(3));
    CodeableConcept type = context.types().codeableConcept(aig.field(4));
    if (resource == null && type == null) {
      return;
    }
    aig.handled();
    aig.use(1, 2);
    Appointment.AppointmentParticipantComponent participant = appointment.addParticipant();
    participant.setStatus(ParticipationStatus.NEEDSACTION);
    participant.addType(resource != null ? resource : type);
  }

  private void location(Er7Segment ail, ConversionContext context) {
    Appointment appointment = context.appointment();
    if (appointment == null) {
      return;
    }
    Reference location = EncounterMapper.locationReference(ail.field(3), context);
    if (location == null) {
      return;
    }
    ail.handled();
    ail.use(1, 2);
    appointment.addParticipant().setActor(location).setStatus(ParticipationStatus.ACCEPTED);
  }

  private void personnel(Er7Segment aip, ConversionContext context) {
    Appointment appointment = context.appointment();
    if (appointment == null) {
      return;
    }
    Reference practitioner = context.practitioner(aip.field(3));
    if (practitioner == null) {
      return;
    }
    aip.handled();
    aip.use(1, 2);
    var participant =
        appointment.addParticipant().setActor(practitioner).setStatus(ParticipationStatus.ACCEPTED);
    CodeableConcept role = context.types().codeableConcept(aip.field(4));
    if (role != null) {
      participant.addType(role);
    }
  }

  /** Once all segments are mapped, enforce R4's start/end rules (app-2, app-3). */
  @Override
  public void finish(ConversionContext context) {
    Appointment appointment = context.appointment();
    if (appointment == null) {
      return;
    }
    if (!appointment.hasStart() || !appointment.hasEnd()) {
      appointment.setStartElement(null);
      appointment.setEndElement(null);
      AppointmentStatus status = appointment.getStatus();
      if (status != AppointmentStatus.PROPOSED
          && status != AppointmentStatus.CANCELLED
          && status != AppointmentStatus.WAITLIST) {
        context.note(
            "SCH-25",
            0,
            status.toCode(),
            "appointment has no start/end with UTC offset: status set to proposed (R4 app-3)");
        appointment.setStatus(AppointmentStatus.PROPOSED);
      }
    }
    if (!appointment.hasParticipant()) {
      appointment
          .addParticipant()
          .setStatus(ParticipationStatus.NEEDSACTION)
          .addType(new CodeableConcept().setText("unknown"));
    }
  }
}
