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
 * messages (ORU, OUL), OBR to DiagnosticReport (IG OBR[DiagnosticReport]) based on that request. An
 * ORC is held until the OBR (or RXA) that completes its order group arrives.
 */
public final class OrderMapper implements SegmentMapper {

  private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

  @Override
  public Set<String> segments() {
    return Set.of("ORC", "OBR");
  }

  /**
   * Pharmacy orders map to MedicationRequest in the IG, which this converter does not build yet.
   */
  private static final Set<String> PHARMACY = Set.of("RDE", "RDS", "RAS", "RGV", "RRE", "OMP");

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    if ("ORC".equals(segment.name())) {
      mapOrc(segment, context);
    } else {
      mapObr(segment, context);
    }
  }

  /**
   * ORC opens an order group: a ServiceRequest of its own (IG ORC[ServiceRequest]; code comes with
   * an OBR if one follows). The ORC also stays pending for an RXA (VXU) to take its ids.
   */
  private void mapOrc(Er7Segment orc, ConversionContext context) {
    context.setPendingOrc(orc);
    context.startOrder(null, null, null);
    if (PHARMACY.contains(context.messageType()) || context.patientReference() == null) {
      return;
    }
    orc.handled();
    orc.use(1);
    ServiceRequest request = new ServiceRequest();
    request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    Identifier placer = orderIdentifier(orc, 2, null, 2, "PLAC", "Placer Identifier", context);
    Identifier filler = orderIdentifier(orc, 3, null, 3, "FILL", "Filler Identifier", context);
    if (placer != null) {
      request.addIdentifier(placer);
    }
    if (filler != null) {
      request.addIdentifier(filler);
    }
    request.setStatus(status(orc));
    request.setSubject(context.patientReference());
    if (context.encounterReference() != null) {
      request.setEncounter(context.encounterReference());
    }
    Reference practitioner = context.practitioner(orc.field(12));
    if (practitioner != null) {
      request.setRequester(practitioner);
    }
    DateTimeType authored = context.types().dateTime(orc, 9);
    if (authored != null) {
      request.setAuthoredOnElement(authored);
    }
    Reference reference = context.add(request, placer != null ? placer : filler);
    context.startOrder(request, reference, null);
    context.setOrderAwaitingObr(true);
  }

  private void mapObr(Er7Segment obr, ConversionContext context) {
    obr.use(1);
    context.setPendingOrc(null);
    if (context.patientReference() == null) {
      return;
    }
    obr.handled();
    ServiceRequest request;
    Reference requestReference;
    Identifier placer = orderIdentifier(null, 2, obr, 2, "PLAC", "Placer Identifier", context);
    Identifier filler = orderIdentifier(null, 3, obr, 3, "FILL", "Filler Identifier", context);
    if (context.orderAwaitingObr() && context.order() != null) {
      request = context.order();
      requestReference = context.orderReference();
      addIfMissing(request, placer);
      addIfMissing(request, filler);
      if (filler == null) {
        filler =
            request.getIdentifier().stream()
                .filter(i -> "FILL".equals(i.getType().getCodingFirstRep().getCode()))
                .findFirst()
                .orElse(null);
      }
    } else {
      request = new ServiceRequest();
      request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
      request.setStatus(ServiceRequest.ServiceRequestStatus.UNKNOWN);
      addIfMissing(request, placer);
      addIfMissing(request, filler);
      request.setSubject(context.patientReference());
      if (context.encounterReference() != null) {
        request.setEncounter(context.encounterReference());
      }
      requestReference = context.add(request, placer != null ? placer : filler);
    }
    context.setOrderAwaitingObr(false);
    CodeableConcept code = context.types().codeableConcept(obr.field(4));
    if (code != null) {
      request.setCode(code);
    }
    if (!request.hasRequester()) {
      Reference practitioner = context.practitioner(obr.field(16));
      if (practitioner != null) {
        request.setRequester(practitioner);
      }
    } else {
      obr.use(16);
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

  private static void addIfMissing(ServiceRequest request, Identifier identifier) {
    if (identifier == null) {
      return;
    }
    boolean present =
        request.getIdentifier().stream()
            .anyMatch(
                i ->
                    java.util.Objects.equals(i.getValue(), identifier.getValue())
                        && java.util.Objects.equals(i.getSystem(), identifier.getSystem()));
    if (!present) {
      request.addIdentifier(identifier);
    }
  }

  private static Identifier orderIdentifier(
      Er7Segment orc,
      int orcField,
      Er7Segment obr,
      int obrField,
      String type,
      String display,
      ConversionContext context) {
    Er7Field ei = orc != null ? orc.field(orcField) : obr.field(obrField);
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
