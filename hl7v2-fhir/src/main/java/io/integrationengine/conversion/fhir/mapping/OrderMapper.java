package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * ORC and OBR to ServiceRequest (IG ORC[ServiceRequest], OBR[ServiceRequest]) and, in result
 * messages (ORU, OUL), OBR to DiagnosticReport (IG OBR[DiagnosticReport]) based on that request.
 * An ORC is held until the OBR (or RXA) that completes its order group arrives.
 */
public final class OrderMapper implements SegmentMapper {

  private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

  @Override
  public Set<String> segments() {
    return Set.of("ORC", "OBR");
  }

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    if ("ORC".equals(segment.name())) {
      context.setPendingOrc(segment);
      return;
    }
    mapObr(segment, context);
  }

  private void mapObr(Er7Segment obr, ConversionContext context) {
    obr.handled();
    obr.use(1);
    Er7Segment orc = context.pendingOrc();
    context.setPendingOrc(null);
    if (orc != null) {
      orc.handled();
    }
    ServiceRequest request = new ServiceRequest();
    request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    Identifier placer = orderIdentifier(orc, 2, obr, 2, "PLAC", "Placer Identifier", context);
    Identifier filler = orderIdentifier(orc, 3, obr, 3, "FILL", "Filler Identifier", context);
    if (placer != null) {
      request.addIdentifier(placer);
    }
    if (filler != null) {
      request.addIdentifier(filler);
    }
    request.setStatus(status(orc));
    CodeableConcept code = context.types().codeableConcept(obr.field(4));
    if (code != null) {
      request.setCode(code);
    }
    if (context.patientReference() != null) {
      request.setSubject(context.patientReference());
    }
    if (context.encounterReference() != null) {
      request.setEncounter(context.encounterReference());
    }
    Er7Field requester = orc != null && orc.field(12) != null ? orc.field(12) : obr.field(16);
    Reference practitioner = context.practitioner(requester);
    if (practitioner != null) {
      request.setRequester(practitioner);
    }
    if (orc != null) {
      DateTimeType authored = context.types().dateTime(orc, 9);
      if (authored != null) {
        request.setAuthoredOnElement(authored);
      }
    }
    for (Er7Field reason : obr.fields(31)) {
      CodeableConcept concept = context.types().codeableConcept(reason);
      if (concept != null) {
        request.addReasonCode(concept);
      }
    }
    String priority = obr.value(5);
    if ("S".equals(priority)) {
      request.setPriority(ServiceRequest.ServiceRequestPriority.STAT);
    } else if ("A".equals(priority)) {
      request.setPriority(ServiceRequest.ServiceRequestPriority.ASAP);
    } else if ("R".equals(priority)) {
      request.setPriority(ServiceRequest.ServiceRequestPriority.ROUTINE);
    }
    if (!request.hasSubject()) {
      context.note(obr, 4, obr.value(4), "order without a patient (no PID): ServiceRequest needs a subject");
      return;
    }
    Reference requestReference = context.add(request, placer != null ? placer : filler);
    DiagnosticReport report = null;
    String type = context.messageType();
    if ("ORU".equals(type) || "OUL".equals(type)) {
      report = new DiagnosticReport();
      if (filler != null) {
        report.addIdentifier(filler.copy());
      }
      report.addBasedOn(new Reference(requestReference.getReference()));
      report.setStatus(reportStatus(obr.value(25)));
      report.setCode(code != null ? code.copy() : new CodeableConcept().setText("unknown"));
      report.setSubject(context.patientReference());
      if (context.encounterReference() != null) {
        report.setEncounter(context.encounterReference());
      }
      DateTimeType effective = context.types().dateTime(obr, 7);
      if (effective != null) {
        report.setEffective(effective);
      }
      InstantType issued = DateTimes.instant(obr.value(22));
      if (issued != null) {
        report.setIssuedElement(issued);
      }
      CodeableConcept section = context.types().codeableConcept(obr.field(24));
      if (section != null) {
        report.addCategory(section);
      }
      Reference performer = context.practitioner(obr.field(32));
      if (performer != null) {
        report.addResultsInterpreter(performer);
      }
      context.add(report, filler);
    }
    context.startOrder(request, requestReference, report);
    context.setNoteTarget(request);
  }

  private static Identifier orderIdentifier(
      Er7Segment orc, int orcField, Er7Segment obr, int obrField, String type, String display,
      ConversionContext context) {
    Er7Field ei = orc != null && orc.field(orcField) != null ? orc.field(orcField) : obr.field(obrField);
    if (orc != null) {
      orc.use(orcField);
    }
    obr.use(obrField);
    Identifier identifier = context.types().entityIdentifier(ei);
    if (identifier != null) {
      identifier.setType(new CodeableConcept(new Coding(V2_0203, type, display)));
    }
    return identifier;
  }

  private static ServiceRequest.ServiceRequestStatus status(Er7Segment orc) {
    if (orc == null) {
      return ServiceRequest.ServiceRequestStatus.UNKNOWN;
    }
    String control = orc.value(1);
    return ConceptMaps.code("OrderControlCode[ServiceRequest.status]", control)
        .map(ServiceRequest.ServiceRequestStatus::fromCode)
        .orElse(ServiceRequest.ServiceRequestStatus.UNKNOWN);
  }

  private static DiagnosticReport.DiagnosticReportStatus reportStatus(String v2) {
    return ConceptMaps.code("ResultStatus[Non-Queries]", v2)
        .map(DiagnosticReport.DiagnosticReportStatus::fromCode)
        .orElse(DiagnosticReport.DiagnosticReportStatus.UNKNOWN);
  }
}
