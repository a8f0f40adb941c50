package io.integrationengine.conversion.fhir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.DR;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.NM;
import ca.uhn.hl7v2.model.v251.datatype.PL;
import ca.uhn.hl7v2.model.v251.datatype.SN;
import ca.uhn.hl7v2.model.v251.datatype.ST;
import ca.uhn.hl7v2.model.v251.datatype.TM;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.datatype.TX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.integrationengine.conversion.fhir.datatype.CodingSystems;
import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.Units;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;

/**
 * Builds an HL7v2 v2.5.1 message from FHIR R4 with HAPI's typed model (so HAPI does the escaping):
 * a Patient (with an Encounter, if the Bundle has one) becomes ADT^A01, A04 or A08; a Bundle of
 * Observations and DiagnosticReports becomes ORU^R01, one OBR per report and one OBX per result. It
 * inverts {@link Hl7v2ToFhirConverter} for the fields both directions know: PID-3/5/7/8/11/13,
 * PV1-2/3/19/44/45, OBR-2/3/4/7/25, OBX-2/3/5/6/7/8/11/14 (see docs/conversion.md). Instances
 * are thread-safe.
 */
public final class FhirToHl7v2Converter {

  private static final String BIRTH_TIME =
      "http://hl7.org/fhir/StructureDefinition/patient-birthTime";
  private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
  private static final String INTERPRETATION =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  private static final Map<String, String> NAMESPACES =
      Map.of(
          "http://hl7.org/fhir/sid/us-ssn", "USSSA",
          "http://hl7.org/fhir/sid/us-npi", "NPI",
          "https://fhir.nhs.uk/Id/nhs-number", "NHS",
          "http://hl7.org/fhir/sid/us-mbi", "MBI");
  private static final Pattern FHIR_DATE_TIME =
      Pattern.compile(
          "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?"
              + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

  private final HapiContext hapi = new DefaultHapiContext();

  public FhirToHl7v2Converter() {
    hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  /**
   * Converts a Patient, or a Bundle holding one (ADT) or results (ORU), into an ER7 message with CR
   * segment separators.
   *
   * @throws ConversionException when the input has nothing the event needs (no Patient for ADT, no
   *     Observation for ORU) or HAPI cannot build a field
   */
  public String convert(IBaseResource input, Hl7v2Event event) {
    Resources resources = new Resources(input);
    try {
      Message message = event == Hl7v2Event.ORU_R01 ? oru(resources) : adt(resources, event);
      return hapi.getPipeParser().encode(message);
    } catch (HL7Exception e) {
      throw new ConversionException("cannot build " + event + ": " + e.getMessage(), e);
    }
  }

  // ---- messages ------------------------------------------------------------------------------

  private Message adt(Resources resources, Hl7v2Event event) throws HL7Exception {
    Patient patient = resources.patient();
    ADT_A01 adt = new ADT_A01();
    adt.setParser(hapi.getPipeParser());
    String now = header(adt.getMSH(), resources, event);
    EVN evn = adt.getEVN();
    evn.getEventTypeCode().setValue(event.trigger());
    evn.getRecordedDateTime().getTime().setValue(now);
    pid(adt.getPID(), patient);
    Encounter encounter = resources.firstOrNull(Encounter.class);
    PV1 pv1 = adt.getPV1();
    if (encounter != null) {
      pv1(pv1, encounter, resources);
    } else {
      // PV1 is required in ADT_A01; N: not applicable
      pv1.getSetIDPV1().setValue("1");
      pv1.getPatientClass().setValue("N");
    }
    return adt;
  }

  private Message oru(Resources resources) throws HL7Exception {
    List<Observation> observations = resources.all(Observation.class);
    if (observations.isEmpty()) {
      throw new ConversionException("ORU^R01 needs at least one Observation; the input has none");
    }
    ORU_R01 oru = new ORU_R01();
    oru.setParser(hapi.getPipeParser());
    header(oru.getMSH(), resources, Hl7v2Event.ORU_R01);
    var result = oru.getPATIENT_RESULT();
    Patient patient = resources.firstOrNull(Patient.class);
    if (patient != null) {
      pid(result.getPATIENT().getPID(), patient);
      Encounter encounter = resources.firstOrNull(Encounter.class);
      if (encounter != null) {
        pv1(result.getPATIENT().getVISIT().getPV1(), encounter, resources);
      }
    }
    Set<Observation> reported = new LinkedHashSet<>();
    int order = 0;
    for (DiagnosticReport report : resources.all(DiagnosticReport.class)) {
      List<Observation> results = new ArrayList<>();
      for (Reference reference : report.getResult()) {
        Resource found = resources.resolve(reference);
        if (found instanceof Observation observation && reported.add(observation)) {
          results.add(observation);
        }
      }
      var group = result.getORDER_OBSERVATION(order++);
      obr(group.getOBR(), order, report, report.getCode(), resources);
      int set = 0;
      for (Observation observation : results) {
        obx(group.getOBSERVATION(set).getOBX(), ++set, observation);
      }
    }
    List<Observation> loose = observations.stream().filter(o -> !reported.contains(o)).toList();
    if (!loose.isEmpty()) {
      // results outside any report share one OBR, named by the first result's code
      var group = result.getORDER_OBSERVATION(order++);
      obr(group.getOBR(), order, null, loose.get(0).getCode(), resources);
      int set = 0;
      for (Observation observation : loose) {
        obx(group.getOBSERVATION(set).getOBX(), ++set, observation);
      }
    }
    return oru;
  }

  /** MSH; returns MSH-7. */
  private static String header(MSH msh, Resources resources, Hl7v2Event event) throws HL7Exception {
    msh.getFieldSeparator().setValue("|");
    msh.getEncodingCharacters().setValue("^~\\&");
    MessageHeader source = resources.firstOrNull(MessageHeader.class);
    if (source != null && source.getSource().hasName()) {
      msh.getSendingApplication().getNamespaceID().setValue(source.getSource().getName());
    }
    if (source != null && source.hasDestination() && source.getDestinationFirstRep().hasName()) {
      msh.getReceivingApplication()
          .getNamespaceID()
          .setValue(source.getDestinationFirstRep().getName());
    }
    Bundle bundle = resources.bundle();
    String now =
        bundle != null && bundle.hasTimestamp()
            ? dtm(bundle.getTimestampElement())
            : OffsetDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ"));
    msh.getDateTimeOfMessage().getTime().setValue(now);
    msh.getMessageType().getMessageCode().setValue(event.code());
    msh.getMessageType().getTriggerEvent().setValue(event.trigger());
    msh.getMessageType().getMessageStructure().setValue(event.structure());
    String controlId =
        bundle != null && bundle.getIdentifier().hasValue()
            ? bundle.getIdentifier().getValue()
            : UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    msh.getMessageControlID().setValue(controlId);
    msh.getProcessingID().getProcessingID().setValue("P");
    msh.getVersionID().getVersionID().setValue("2.5.1");
    msh.getCharacterSet(0).setValue("UNICODE UTF-8");
    return now;
  }

  // ---- segments ------------------------------------------------------------------------------

  private static void pid(PID pid, Patient patient) throws HL7Exception {
    pid.getSetIDPID().setValue("1");
    int cx = 0;
    for (Identifier identifier : patient.getIdentifier()) {
      if (identifier.hasValue()) {
        identifier(pid.getPatientIdentifierList(cx++), identifier);
      }
    }
    int xpn = 0;
    for (HumanName name : patient.getName()) {
      if (name.getUse() != HumanName.NameUse.NICKNAME && (name.hasFamily() || name.hasGiven())) {
        name(pid.getPatientName(xpn++), name);
      }
    }
    if (patient.hasBirthDate()) {
      Extension time = patient.getBirthDateElement().getExtensionByUrl(BIRTH_TIME);
      pid.getDateTimeOfBirth()
          .getTime()
          .setValue(
              time != null && time.getValue() instanceof DateTimeType birth
                  ? dtm(birth)
                  : dtm(patient.getBirthDateElement()));
    }
    if (patient.hasGender()) {
      pid.getAdministrativeSex()
          .setValue(
              ConceptMaps.v2Code("AdministrativeSex", patient.getGender().toCode()).orElse("U"));
    }
    int xad = 0;
    for (Address address : patient.getAddress()) {
      address(pid.getPatientAddress(xad++), address);
    }
    int home = 0;
    int work = 0;
    for (ContactPoint point : patient.getTelecom()) {
      if (!point.hasValue()) {
        continue;
      }
      XTN xtn =
          point.getUse() == ContactPoint.ContactPointUse.WORK
              ? pid.getPhoneNumberBusiness(work++)
              : pid.getPhoneNumberHome(home++);
      telecom(xtn, point);
    }
    if (patient.hasMaritalStatus()) {
      Coding status = patient.getMaritalStatus().getCodingFirstRep();
      pid.getMaritalStatus().getIdentifier().setValue(status.hasCode() ? status.getCode() : null);
      pid.getMaritalStatus().getText().setValue(patient.getMaritalStatus().getText());
    }
  }

  private static void pv1(PV1 pv1, Encounter encounter, Resources resources) throws HL7Exception {
    pv1.getSetIDPV1().setValue("1");
    Coding encounterClass = encounter.getClass_();
    String patientClass =
        ConceptMaps.v2Code("PatientClass[EncounterClass]", encounterClass.getCode()).orElse("U");
    pv1.getPatientClass().setValue(patientClass);
    for (Encounter.EncounterLocationComponent location : encounter.getLocation()) {
      if (location.getStatus() == Encounter.EncounterLocationStatus.ACTIVE
          || location.getStatus() == null) {
        location(pv1.getAssignedPatientLocation(), location.getLocation(), resources);
        break;
      }
    }
    for (Identifier identifier : encounter.getIdentifier()) {
      if (identifier.hasValue()) {
        identifier(pv1.getVisitNumber(), identifier);
        break;
      }
    }
    Period period = encounter.getPeriod();
    if (period.hasStart()) {
      pv1.getAdmitDateTime().getTime().setValue(dtm(period.getStartElement()));
    }
    if (period.hasEnd()) {
      pv1.getDischargeDateTime(0).getTime().setValue(dtm(period.getEndElement()));
    }
  }

  private static void obr(
      OBR obr, int set, DiagnosticReport report, CodeableConcept code, Resources resources)
      throws HL7Exception {
    obr.getSetIDOBR().setValue(String.valueOf(set));
    coded(obr.getUniversalServiceIdentifier(), code);
    if (report == null) {
      return;
    }
    for (Reference basedOn : report.getBasedOn()) {
      if (resources.resolve(basedOn) instanceof ServiceRequest request) {
        for (Identifier identifier : request.getIdentifier()) {
          String type = identifier.getType().getCodingFirstRep().getCode();
          if ("PLAC".equals(type)) {
            obr.getPlacerOrderNumber().getEntityIdentifier().setValue(identifier.getValue());
          } else if ("FILL".equals(type)) {
            obr.getFillerOrderNumber().getEntityIdentifier().setValue(identifier.getValue());
          }
        }
      }
    }
    if (report.hasIdentifier() && obr.getFillerOrderNumber().isEmpty()) {
      obr.getFillerOrderNumber()
          .getEntityIdentifier()
          .setValue(report.getIdentifierFirstRep().getValue());
    }
    if (report.hasEffectiveDateTimeType()) {
      obr.getObservationDateTime().getTime().setValue(dtm(report.getEffectiveDateTimeType()));
    }
    if (report.hasStatus()) {
      ConceptMaps.v2Code("ResultStatus[Non-Queries]", report.getStatus().toCode())
          .ifPresent(
              status -> {
                try {
                  obr.getResultStatus().setValue(status);
                } catch (HL7Exception e) {
                  throw new ConversionException("OBR-25: " + e.getMessage(), e);
                }
              });
    }
  }

  private static void obx(OBX obx, int set, Observation observation) throws HL7Exception {
    obx.getSetIDOBX().setValue(String.valueOf(set));
    coded(obx.getObservationIdentifier(), observation.getCode());
    Message message = obx.getMessage();
    Type value = null;
    String valueType = null;
    Quantity unitOf = null;
    if (observation.getValue() instanceof Quantity quantity && quantity.hasValue()) {
      if (quantity.hasComparator()) {
        SN sn = new SN(message);
        sn.getComparator().setValue(quantity.getComparator().toCode());
        sn.getNum1().setValue(plain(quantity.getValue()));
        value = sn;
        valueType = "SN";
      } else {
        NM nm = new NM(message);
        nm.setValue(plain(quantity.getValue()));
        value = nm;
        valueType = "NM";
      }
      unitOf = quantity;
    } else if (observation.getValue() instanceof CodeableConcept concept) {
      CWE cwe = new CWE(message);
      Coding first = concept.getCodingFirstRep();
      cwe.getIdentifier().setValue(first.getCode());
      cwe.getText().setValue(first.hasDisplay() ? first.getDisplay() : concept.getText());
      cwe.getNameOfCodingSystem().setValue(v2System(first.getSystem()));
      value = cwe;
      valueType = "CWE";
    } else if (observation.getValue() instanceof StringType text) {
      String string = text.getValue();
      if (string.contains("\n") || string.length() > 199) {
        // a line break is the formatting escape \.br\ (HAPI keeps escape sequences it is given)
        TX tx = new TX(message);
        tx.setValue(string.replace("\r\n", "\n").replace("\n", "\\.br\\"));
        value = tx;
        valueType = "TX";
      } else {
        ST st = new ST(message);
        st.setValue(string);
        value = st;
        valueType = "ST";
      }
    } else if (observation.getValue() instanceof DateTimeType dateTime) {
      TS ts = new TS(message);
      ts.getTime().setValue(dtm(dateTime));
      value = ts;
      valueType = "TS";
    } else if (observation.getValue() instanceof TimeType time) {
      TM tm = new TM(message);
      tm.setValue(time.getValue().replace(":", ""));
      value = tm;
      valueType = "TM";
    } else if (observation.getValue() instanceof Range range) {
      SN sn = new SN(message);
      sn.getNum1().setValue(range.getLow().hasValue() ? plain(range.getLow().getValue()) : null);
      sn.getSeparatorSuffix().setValue("-");
      sn.getNum2().setValue(range.getHigh().hasValue() ? plain(range.getHigh().getValue()) : null);
      value = sn;
      valueType = "SN";
      unitOf = range.getLow().hasUnit() ? range.getLow() : range.getHigh();
    } else if (observation.getValue() instanceof Ratio ratio) {
      SN sn = new SN(message);
      sn.getNum1().setValue(plain(ratio.getNumerator().getValue()));
      sn.getSeparatorSuffix().setValue(":");
      sn.getNum2().setValue(plain(ratio.getDenominator().getValue()));
      value = sn;
      valueType = "SN";
    } else if (observation.getValue() instanceof Period period) {
      DR dr = new DR(message);
      if (period.hasStart()) {
        dr.getRangeStartDateTime().getTime().setValue(dtm(period.getStartElement()));
      }
      if (period.hasEnd()) {
        dr.getRangeEndDateTime().getTime().setValue(dtm(period.getEndElement()));
      }
      value = dr;
      valueType = "DR";
    }
    if (value != null) {
      obx.getValueType().setValue(valueType);
      obx.getObservationValue(0).setData(value);
    }
    if (unitOf != null && (unitOf.hasCode() || unitOf.hasUnit())) {
      units(obx.getUnits(), unitOf);
    }
    if (observation.hasReferenceRange()) {
      obx.getReferencesRange().setValue(range(observation.getReferenceRangeFirstRep()));
    }
    int flag = 0;
    for (CodeableConcept interpretation : observation.getInterpretation()) {
      String code = null;
      for (Coding coding : interpretation.getCoding()) {
        if (INTERPRETATION.equals(coding.getSystem())) {
          code =
              ConceptMaps.v2Code("InterpretationCodes", coding.getCode()).orElse(coding.getCode());
        }
      }
      if (code == null) {
        code = interpretation.getText();
      }
      if (code != null) {
        obx.getAbnormalFlags(flag++).setValue(code);
      }
    }
    if (observation.hasStatus()) {
      ConceptMaps.v2Code(
              "ObservationResultStatusCodesInterpretation", observation.getStatus().toCode())
          .ifPresent(
              status -> {
                try {
                  obx.getObservationResultStatus().setValue(status);
                } catch (HL7Exception e) {
                  throw new ConversionException("OBX-11: " + e.getMessage(), e);
                }
              });
    }
    if (observation.hasEffectiveDateTimeType()) {
      obx.getDateTimeOfTheObservation()
          .getTime()
          .setValue(dtm(observation.getEffectiveDateTimeType()));
    }
  }

  // ---- data types ----------------------------------------------------------------------------

  /** Identifier to CX: value, assigning authority from the system (or the assigner), type. */
  private static void identifier(CX cx, Identifier identifier) throws HL7Exception {
    cx.getIDNumber().setValue(identifier.getValue());
    authority(cx.getAssigningAuthority(), identifier);
    String type = null;
    for (Coding coding : identifier.getType().getCoding()) {
      if (V2_0203.equals(coding.getSystem())) {
        type = coding.getCode();
      }
    }
    if (type == null && identifier.getType().hasText()) {
      type = identifier.getType().getText();
    }
    cx.getIdentifierTypeCode().setValue(type);
  }

  private static void authority(HD hd, Identifier identifier) throws HL7Exception {
    String system = identifier.getSystem();
    if (system != null) {
      String namespace = NAMESPACES.get(system);
      if (namespace != null) {
        hd.getNamespaceID().setValue(namespace);
      } else if (system.startsWith("urn:oid:")) {
        hd.getUniversalID().setValue(system.substring("urn:oid:".length()));
        hd.getUniversalIDType().setValue("ISO");
      } else if (system.startsWith("urn:uuid:")) {
        hd.getUniversalID().setValue(system.substring("urn:uuid:".length()));
        hd.getUniversalIDType().setValue("UUID");
      } else {
        hd.getUniversalID().setValue(system);
        hd.getUniversalIDType().setValue("URI");
      }
    }
    if (identifier.getAssigner().hasDisplay() && hd.getNamespaceID().isEmpty()) {
      hd.getNamespaceID().setValue(identifier.getAssigner().getDisplay());
    }
  }

  private static void name(XPN xpn, HumanName name) throws HL7Exception {
    xpn.getFamilyName().getSurname().setValue(name.getFamily());
    List<StringType> given = name.getGiven();
    if (!given.isEmpty()) {
      xpn.getGivenName().setValue(given.get(0).getValue());
    }
    if (given.size() > 1) {
      xpn.getSecondAndFurtherGivenNamesOrInitialsThereof()
          .setValue(
              String.join(
                  " ", given.subList(1, given.size()).stream().map(StringType::getValue).toList()));
    }
    if (name.hasSuffix()) {
      xpn.getSuffixEgJRorIII().setValue(name.getSuffix().get(0).getValue());
    }
    if (name.hasPrefix()) {
      xpn.getPrefixEgDR().setValue(name.getPrefixAsSingleString());
    }
    if (name.getSuffix().size() > 1) {
      xpn.getDegreeEgMD().setValue(name.getSuffix().get(1).getValue());
    }
    if (name.hasUse()) {
      ConceptMaps.v2Code("NameType", name.getUse().toCode())
          .ifPresent(
              type -> {
                try {
                  xpn.getNameTypeCode().setValue(type);
                } catch (HL7Exception e) {
                  throw new ConversionException("XPN-7: " + e.getMessage(), e);
                }
              });
    }
  }

  private static void address(XAD xad, Address address) throws HL7Exception {
    List<StringType> lines = address.getLine();
    if (!lines.isEmpty()) {
      xad.getStreetAddress().getStreetOrMailingAddress().setValue(lines.get(0).getValue());
    }
    if (lines.size() > 1) {
      xad.getOtherDesignation().setValue(lines.get(1).getValue());
    }
    xad.getCity().setValue(address.getCity());
    xad.getStateOrProvince().setValue(address.getState());
    xad.getZipOrPostalCode().setValue(address.getPostalCode());
    xad.getCountry().setValue(address.getCountry());
    xad.getCountyParishCode().setValue(address.getDistrict());
  }

  private static void telecom(XTN xtn, ContactPoint point) throws HL7Exception {
    if (point.getSystem() == ContactPoint.ContactPointSystem.EMAIL) {
      xtn.getTelecommunicationUseCode().setValue("NET");
      xtn.getTelecommunicationEquipmentType().setValue("Internet");
      xtn.getEmailAddress().setValue(point.getValue());
      return;
    }
    xtn.getTelephoneNumber().setValue(point.getValue());
    xtn.getUnformattedTelephoneNumber().setValue(point.getValue());
    if (point.getUse() == ContactPoint.ContactPointUse.MOBILE) {
      xtn.getTelecommunicationEquipmentType().setValue("CP");
    } else if (point.getSystem() == ContactPoint.ContactPointSystem.FAX) {
      xtn.getTelecommunicationEquipmentType().setValue("FX");
    } else {
      xtn.getTelecommunicationEquipmentType().setValue("PH");
    }
  }

  /**
   * A Location as PV1-3: it and the Locations it is {@code partOf}, by physical type (bed {@code
   * bd} PL-3, room {@code ro} PL-2, floor {@code lvl} PL-8, ward / point of care {@code wa} PL-1,
   * building {@code bu} PL-7, site {@code si} PL-4, as HL7v2 to FHIR builds them). A Location
   * without a type fills the point of care if that is still empty.
   */
  private static void location(PL pl, Reference reference, Resources resources)
      throws HL7Exception {
    Resource resolved = resources.resolve(reference);
    if (!(resolved instanceof Location)) {
      pl.getPointOfCare().setValue(reference.getDisplay());
      return;
    }
    Set<Location> seen = new LinkedHashSet<>();
    for (Resource current = resolved;
        current instanceof Location location && seen.add(location);
        current = resources.resolve(location.getPartOf())) {
      String name = location.getName();
      String type = location.getPhysicalType().getCodingFirstRep().getCode();
      if (type == null) {
        type = "";
      }
      switch (type) {
        case "bd" -> pl.getBed().setValue(name);
        case "ro" -> pl.getRoom().setValue(name);
        case "lvl" -> pl.getFloor().setValue(name);
        case "bu" -> pl.getBuilding().setValue(name);
        case "si" -> pl.getFacility().getNamespaceID().setValue(name);
        default -> {
          if (pl.getPointOfCare().isEmpty()) {
            pl.getPointOfCare().setValue(name);
          }
        }
      }
      if (location == resolved && location.hasDescription()) {
        pl.getLocationDescription().setValue(location.getDescription());
      }
    }
  }

  private static void coded(CE ce, CodeableConcept concept) throws HL7Exception {
    List<Coding> codings = concept.getCoding();
    if (codings.isEmpty()) {
      ce.getText().setValue(concept.getText());
      return;
    }
    Coding first = codings.get(0);
    ce.getIdentifier().setValue(first.getCode());
    ce.getText().setValue(first.hasDisplay() ? first.getDisplay() : concept.getText());
    ce.getNameOfCodingSystem().setValue(v2System(first.getSystem()));
    if (codings.size() > 1) {
      Coding second = codings.get(1);
      ce.getAlternateIdentifier().setValue(second.getCode());
      ce.getAlternateText().setValue(second.getDisplay());
      ce.getNameOfAlternateCodingSystem().setValue(v2System(second.getSystem()));
    }
  }

  private static void units(CE ce, Quantity quantity) throws HL7Exception {
    boolean ucum = Units.UCUM.equals(quantity.getSystem()) && quantity.hasCode();
    String code = ucum ? quantity.getCode() : quantity.getUnit();
    ce.getIdentifier().setValue(code);
    if (quantity.hasUnit() && !quantity.getUnit().equals(code)) {
      ce.getText().setValue(quantity.getUnit());
    }
    if (ucum) {
      ce.getNameOfCodingSystem().setValue("UCUM");
    }
  }

  /**
   * The v2 name of a coding system (LN for LOINC, ...), or the URI/OID itself when none is known.
   */
  static String v2System(String uri) {
    if (uri == null) {
      return null;
    }
    String name = CodingSystems.v2Name(uri);
    if (name != null) {
      return name;
    }
    return uri.startsWith("urn:oid:") ? uri.substring("urn:oid:".length()) : uri;
  }

  /** FHIR date/dateTime to DTM, keeping its precision and offset ({@code Z} as {@code +0000}). */
  static String dtm(BaseDateTimeType value) {
    String text = value.getValueAsString();
    Matcher m = FHIR_DATE_TIME.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new ConversionException("not a FHIR date/time: " + text);
    }
    StringBuilder out = new StringBuilder(m.group(1));
    for (int group = 2; group <= 6; group++) {
      if (m.group(group) != null) {
        out.append(m.group(group));
      }
    }
    if (m.group(7) != null) {
      out.append(m.group(7), 0, Math.min(m.group(7).length(), 5));
    }
    String offset = m.group(8);
    if (offset != null) {
      out.append("Z".equals(offset) ? "+0000" : offset.replace(":", ""));
    }
    return out.toString();
  }

  /** OBX-7: the range's text, else {@code low-high}, {@code >low} or {@code <high}. */
  private static String range(Observation.ObservationReferenceRangeComponent range) {
    if (range.hasText()) {
      return range.getText();
    }
    String low = range.getLow().hasValue() ? plain(range.getLow().getValue()) : null;
    String high = range.getHigh().hasValue() ? plain(range.getHigh().getValue()) : null;
    if (low != null && high != null) {
      return low + "-" + high;
    }
    return low != null ? ">" + low : high != null ? "<" + high : null;
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  /** The input's resources, found by type and by the references between them. */
  private static final class Resources {
    private final Bundle bundle;
    private final List<Resource> all = new ArrayList<>();
    private final Map<String, Resource> byReference = new HashMap<>();

    Resources(IBaseResource input) {
      if (input instanceof Bundle b) {
        bundle = b;
        for (Bundle.BundleEntryComponent entry : b.getEntry()) {
          Resource resource = entry.getResource();
          if (resource == null) {
            continue;
          }
          all.add(resource);
          if (entry.hasFullUrl()) {
            byReference.put(entry.getFullUrl(), resource);
          }
          if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
            byReference.put(
                resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
          }
        }
      } else if (input instanceof Resource resource) {
        bundle = null;
        all.add(resource);
      } else {
        throw new ConversionException("not a FHIR R4 resource: " + input);
      }
    }

    Bundle bundle() {
      return bundle;
    }

    Patient patient() {
      Patient patient = firstOrNull(Patient.class);
      if (patient == null) {
        throw new ConversionException("an ADT message needs a Patient; the input has none");
      }
      return patient;
    }

    <T extends Resource> T firstOrNull(Class<T> type) {
      return all.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    <T extends Resource> List<T> all(Class<T> type) {
      return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    Resource resolve(Reference reference) {
      if (reference == null) {
        return null;
      }
      if (reference.getResource() instanceof Resource contained) {
        return contained;
      }
      return reference.hasReference() ? byReference.get(reference.getReference()) : null;
    }
  }
}
