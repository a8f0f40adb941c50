package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * PID and PD1 to Patient (IG PID[Patient], PD1[Patient]): identifiers with proper systems, names,
 * birth date (with the birth time extension when sent with an offset), gender, addresses, telecom,
 * marital status, language, multiple birth, death, primary care provider. The first PID is the
 * message's patient; later ones (merge messages) become further Patient entries.
 */
public final class PatientMapper implements SegmentMapper {

  private static final String BIRTH_TIME =
      "http://hl7.org/fhir/StructureDefinition/patient-birthTime";
  private static final String MAIDEN_NAME =
      "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";

  @Override
  public Set<String> segments() {
    return Set.of("PID", "PD1");
  }

  @Override
  public int phase() {
    return MappingPhase.PATIENT;
  }

  @Override
  public void map(Er7Segment segment, ConversionContext context) {
    if ("PD1".equals(segment.name())) {
      mapPd1(segment, context);
    } else {
      mapPid(segment, context);
    }
  }

  private void mapPid(Er7Segment pid, ConversionContext context) {
    pid.handled();
    pid.use(1);
    DataTypes types = context.types();
    Patient patient = new Patient();
    for (int field : new int[] {2, 3, 4}) {
      for (Er7Field cx : pid.fields(field)) {
        Identifier identifier = types.identifier(cx);
        if (identifier != null) {
          patient.addIdentifier(identifier);
        }
      }
    }
    String ssn = pid.value(19);
    if (ssn != null) {
      patient.addIdentifier(
          new Identifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue(ssn));
    }
    for (Er7Field dl : pid.fields(20)) {
      if (dl.comp(1) != null) {
        Identifier identifier = new Identifier().setValue(dl.comp(1));
        types.identifierType(identifier, "DL");
        patient.addIdentifier(identifier);
      }
    }
    for (int field : new int[] {5, 9}) {
      for (Er7Field xpn : pid.fields(field)) {
        types.humanNames(xpn).forEach(patient::addName);
      }
    }
    Er7Field maiden = pid.field(6);
    if (maiden != null && DataTypes.nameText(maiden) != null) {
      patient.addExtension(
          MAIDEN_NAME,
          new StringType(maiden.sub(1, 1) != null ? maiden.sub(1, 1) : DataTypes.nameText(maiden)));
    }
    birth(pid, patient, context);
    String sex = pid.value(8);
    if (sex != null) {
      ConceptMaps.code("AdministrativeSex", sex)
          .ifPresentOrElse(
              code -> patient.setGender(AdministrativeGender.fromCode(code)),
              () -> context.note(pid, 8, sex, "administrative sex not in the IG concept map"));
    }
    for (Er7Field xad : pid.fields(11)) {
      Address address = types.address(xad);
      if (address != null) {
        patient.addAddress(address);
      }
    }
    if (pid.value(12) != null
        && patient.hasAddress()
        && !patient.getAddressFirstRep().hasDistrict()) {
      patient.getAddressFirstRep().setDistrict(pid.value(12));
    }
    telecom(pid, 13, ContactPoint.ContactPointUse.HOME, patient, context);
    telecom(pid, 14, ContactPoint.ContactPointUse.WORK, patient, context);
    // PID-40 replaces PID-13/14 from v2.7 on.
    telecom(pid, 40, null, patient, context);
    CodeableConcept language = types.codeableConcept(pid.field(15));
    if (language != null) {
      patient.addCommunication().setLanguage(language);
    }
    String marital = pid.value(16);
    if (marital != null) {
      CodeableConcept status = new CodeableConcept();
      ConceptMaps.map("MaritalStatus", marital).ifPresent(status::addCoding);
      String text = pid.value(16, 2);
      if (text != null) {
        status.setText(text);
      } else if (!status.hasCoding()) {
        status.setText(marital);
      }
      patient.setMaritalStatus(status);
    }
    String multipleBirth = pid.value(24);
    String birthOrder = pid.value(25);
    if (birthOrder != null && birthOrder.matches("\\d{1,4}")) {
      patient.setMultipleBirth(new IntegerType(Integer.parseInt(birthOrder)));
    } else if ("Y".equalsIgnoreCase(multipleBirth) || "N".equalsIgnoreCase(multipleBirth)) {
      patient.setMultipleBirth(new BooleanType("Y".equalsIgnoreCase(multipleBirth)));
    }
    DateTimeType death = context.types().dateTime(pid, 29);
    String deceased = pid.value(30);
    if (death != null) {
      patient.setDeceased(death);
    } else if ("Y".equalsIgnoreCase(deceased) || "N".equalsIgnoreCase(deceased)) {
      patient.setDeceased(new BooleanType("Y".equalsIgnoreCase(deceased)));
    }
    if (patient.isEmpty()) {
      context.note(
          pid, 3, null, "PID carries no patient data: no Patient, and nothing that needs one");
      return;
    }
    Identifier business = ConversionContext.businessIdentifier(patient.getIdentifier());
    Reference reference = context.add(patient, business);
    if (context.patient() == null) {
      context.setPatient(patient, reference);
    }
  }

  private void birth(Er7Segment pid, Patient patient, ConversionContext context) {
    String dob = pid.value(7);
    if (dob == null) {
      return;
    }
    DateType date = DateTimes.date(dob);
    if (date == null) {
      context.note(pid, 7, dob, "not a valid HL7 date/time");
      return;
    }
    patient.setBirthDateElement(date);
    DateTimes.Parsed parsed = DateTimes.parse(dob);
    if (parsed.hasTime()) {
      if (parsed.hasOffset()) {
        patient.getBirthDateElement().addExtension(BIRTH_TIME, new DateTimeType(parsed.dateTime()));
      } else {
        context.note(pid, 7, dob, "birth time sent without UTC offset: only the date is kept");
      }
    }
  }

  private static void telecom(
      Er7Segment pid,
      int field,
      ContactPoint.ContactPointUse defaultUse,
      Patient patient,
      ConversionContext context) {
    for (Er7Field xtn : pid.fields(field)) {
      ContactPoint point = context.types().contactPoint(xtn);
      if (point != null) {
        if (defaultUse != null
            && !point.hasUse()
            && point.getSystem() != ContactPoint.ContactPointSystem.EMAIL) {
          point.setUse(defaultUse);
        }
        patient.addTelecom(point);
      }
    }
  }

  private void mapPd1(Er7Segment pd1, ConversionContext context) {
    Patient patient = context.patient();
    if (patient == null) {
      return;
    }
    pd1.handled();
    for (Er7Field xcn : pd1.fields(4)) {
      Reference practitioner = context.practitioner(xcn);
      if (practitioner != null) {
        patient.addGeneralPractitioner(practitioner);
      }
    }
    for (Er7Field xon : pd1.fields(3)) {
      Reference organization = context.organization(xon.comp(1), null);
      if (organization != null) {
        patient.addGeneralPractitioner(organization);
      }
    }
  }
}
