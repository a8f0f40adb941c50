package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * NK1 to Patient.contact (IG NK1[Patient]): name, relationship, address, telecom, gender, period;
 * and, as the IG also asks, to a RelatedPerson entry for the same person (IG NK1[RelatedPerson]),
 * which other resources can reference and which carries NK1-16 birth date and NK1-33 identifiers.
 */
public final class ContactMapper implements SegmentMapper {

  /** The same person as a RelatedPerson entry (IG NK1[RelatedPerson]), with NK1-16 and NK1-33. */
  private static void relatedPerson(
      Er7Segment nk1, Patient.ContactComponent contact, ConversionContext context) {
    if (!contact.hasName() && !contact.hasTelecom() && !contact.hasAddress()) {
      return;
    }
    RelatedPerson person = new RelatedPerson();
    person.setPatient(context.patientReference());
    if (contact.hasName()) {
      person.addName(contact.getName().copy());
    }
    contact.getRelationship().forEach(r -> person.addRelationship(r.copy()));
    contact.getTelecom().forEach(t -> person.addTelecom(t.copy()));
    if (contact.hasAddress()) {
      person.addAddress(contact.getAddress().copy());
    }
    if (contact.hasGender()) {
      person.setGender(contact.getGender());
    }
    if (contact.hasPeriod()) {
      person.setPeriod(contact.getPeriod().copy());
    }
    DateType birthDate = DateTimes.date(nk1.value(16));
    if (birthDate != null) {
      person.setBirthDateElement(birthDate);
    }
    for (Er7Field cx : nk1.fields(33)) {
      Identifier identifier = context.types().identifier(cx);
      if (identifier != null) {
        person.addIdentifier(identifier);
      }
    }
    context.add(person, ConversionContext.businessIdentifier(person.getIdentifier()));
  }

  @Override
  public Set<String> segments() {
    return Set.of("NK1");
  }

  @Override
  public void map(Er7Segment nk1, ConversionContext context) {
    Patient patient = context.patient();
    if (patient == null) {
      return;
    }
    nk1.handled();
    nk1.use(1);
    Patient.ContactComponent contact = new Patient.ContactComponent();
    Er7Field name = nk1.field(2);
    if (name != null) {
      HumanName human = context.types().humanName(name);
      if (human != null) {
        contact.setName(human);
      }
    }
    Er7Field relationship = nk1.field(3);
    if (relationship != null) {
      CodeableConcept concept = new CodeableConcept();
      ConceptMaps.map("Relationship", relationship.comp(1)).ifPresent(concept::addCoding);
      concept.setText(relationship.comp(2) != null ? relationship.comp(2) : relationship.comp(1));
      contact.addRelationship(concept);
    }
    Er7Field role = nk1.field(7);
    if (role != null) {
      CodeableConcept concept = context.types().codeableConcept(role);
      if (concept != null) {
        contact.addRelationship(concept);
      }
    }
    for (Er7Field xad : nk1.fields(4)) {
      Address address = context.types().address(xad);
      if (address != null && !contact.hasAddress()) {
        contact.setAddress(address);
      }
    }
    for (int field : new int[] {5, 6}) {
      for (Er7Field xtn : nk1.fields(field)) {
        ContactPoint point = context.types().contactPoint(xtn);
        if (point != null) {
          contact.addTelecom(point);
        }
      }
    }
    var period = context.types().period(nk1.value(8), nk1.value(9), "NK1-8", nk1.position());
    if (period != null) {
      contact.setPeriod(period);
    }
    String sex = nk1.value(15);
    if (sex != null) {
      ConceptMaps.code("AdministrativeSex", sex)
          .ifPresent(code -> contact.setGender(AdministrativeGender.fromCode(code)));
    }
    if (nk1.value(13, 1) != null && !contact.hasName()) {
      contact.setOrganization(context.organization(nk1.value(13, 1), null));
    }
    if (contact.hasName()
        || contact.hasTelecom()
        || contact.hasAddress()
        || contact.hasOrganization()) {
      patient.addContact(contact);
      relatedPerson(nk1, contact, context);
    }
  }
}
