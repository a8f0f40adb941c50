package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.NotMappedNote;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import io.integrationengine.conversion.fhir.er7.SegmentedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * State of one conversion: the Bundle being built, the resources that later segments attach to
 * (patient, encounter, current order, specimen, observation), and the not-mapped notes. Entries get
 * stable {@code urn:uuid:} full URLs derived from the message control id, so converting the same
 * message twice gives the same Bundle; in transaction Bundles a resource with a business identifier
 * is a conditional update ({@code PUT Type?identifier=system|value}), so a resend updates instead
 * of duplicating.
 */
public final class ConversionContext {

  private final SegmentedMessage message;
  private final BundleKind kind;
  private final Bundle bundle;
  private final DataTypes types;
  private final List<NotMappedNote> notes = new ArrayList<>();
  private final String messageKey;
  private final Map<String, Reference> practitioners = new HashMap<>();
  private final Map<String, Reference> organizations = new HashMap<>();
  private final Map<String, Reference> conditionalEntries = new HashMap<>();
  private static final java.util.Set<String> SHARED_TYPES =
      java.util.Set.of("Practitioner", "Organization", "Location");
  private final Map<String, Integer> derivedKeys = new HashMap<>();
  private int sequence;

  private Patient patient;
  private Reference patientReference;
  private Encounter encounter;
  private Reference encounterReference;

  /** The order group being read (ORC/OBR and what follows them). */
  private Er7Segment pendingOrc;

  private ServiceRequest order;
  private Reference orderReference;
  private DiagnosticReport report;
  private Specimen specimen;
  private Reference specimenReference;
  private Observation observation;
  private Immunization immunization;
  private Reference immunizationReference;
  private DocumentReference document;
  private org.hl7.fhir.r4.model.Appointment appointment;
  private Object lastNoteTarget;
  private boolean orderAwaitingObr;

  public ConversionContext(SegmentedMessage message, BundleKind kind, Bundle bundle) {
    this.message = message;
    this.kind = kind;
    this.bundle = bundle;
    this.types = new DataTypes(this::note);
    String controlId = message.header().value(10);
    this.messageKey = controlId != null ? controlId : message.fingerprint();
  }

  public SegmentedMessage message() {
    return message;
  }

  public BundleKind kind() {
    return kind;
  }

  public Bundle bundle() {
    return bundle;
  }

  public DataTypes types() {
    return types;
  }

  public List<NotMappedNote> notes() {
    return notes;
  }

  /** MSH-9.1, e.g. ORU. */
  public String messageType() {
    String type = message.header().value(9, 1);
    return type == null ? "" : type;
  }

  public void note(String location, int position, String value, String reason) {
    String shown = value == null || value.length() <= 120 ? value : value.substring(0, 117) + "...";
    notes.add(new NotMappedNote(location, position, shown, reason));
  }

  public void note(Er7Segment segment, int field, String value, String reason) {
    note(segment.name() + "-" + field, segment.position(), value, reason);
  }

  // ---- entries -------------------------------------------------------------------------------

  /**
   * Adds a resource and returns a reference to it. {@code businessIdentifier} (may be null) makes
   * the transaction entry a conditional update on that identifier.
   */
  public Reference add(Resource resource, Identifier businessIdentifier) {
    String type = resource.fhirType();
    String conditionalUrl = null;
    if (kind == BundleKind.TRANSACTION
        && businessIdentifier != null
        && businessIdentifier.hasValue()) {
      String token =
          businessIdentifier.hasSystem()
              ? businessIdentifier.getSystem() + "|" + businessIdentifier.getValue()
              : businessIdentifier.getValue();
      conditionalUrl = type + "?identifier=" + urlEncode(token);
      Reference existing = conditionalEntries.get(conditionalUrl);
      if (existing != null && SHARED_TYPES.contains(type)) {
        // Same practitioner, organization or location by identifier: one entry serves both.
        return new Reference(existing.getReference()).setDisplay(existing.getDisplay());
      }
      if (existing != null) {
        // A server rejects a transaction with two entries for one conditional URL.
        note(
            type,
            0,
            token,
            "identifier repeated within the message: this "
                + type
                + " is a plain create, not a conditional update");
        conditionalUrl = null;
      }
    }
    UUID id =
        UUID.nameUUIDFromBytes(
            (messageKey + "|" + type + "|" + (++sequence)).getBytes(StandardCharsets.UTF_8));
    String fullUrl = "urn:uuid:" + id;
    BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
    Reference reference = new Reference(fullUrl);
    if (kind == BundleKind.TRANSACTION) {
      if (conditionalUrl != null) {
        entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(conditionalUrl);
        conditionalEntries.put(conditionalUrl, reference);
      } else {
        entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type);
      }
    }
    return reference;
  }

  /** Adds the resource as the first entry (the MessageHeader of a message Bundle). */
  public Reference addFirst(Resource resource) {
    Reference reference = add(resource, null);
    List<BundleEntryComponent> entries = bundle.getEntry();
    entries.add(0, entries.remove(entries.size() - 1));
    return reference;
  }

  private static String urlEncode(String token) {
    // Only characters that would break the query are escaped; '|' separates system and value.
    return token
        .replace("%", "%25")
        .replace("&", "%26")
        .replace("#", "%23")
        .replace(" ", "%20")
        .replace("+", "%2B")
        .replace("?", "%3F");
  }

  /**
   * An identifier for a resource the sender gave none, derived from the business identifier of its
   * order (else its visit) and a key such as the observation code: {@code urn:ietf:rfc:3986} with a
   * name-based {@code urn:uuid:}, the same for every resend of the message. Null when there is no
   * anchor to derive from (then the entry is a plain create).
   */
  public Identifier derivedIdentifier(String type, String key) {
    Identifier anchor = null;
    if (order != null) {
      anchor = businessIdentifier(order.getIdentifier());
    }
    if (anchor == null && encounter != null) {
      anchor = businessIdentifier(encounter.getIdentifier());
    }
    if (anchor == null) {
      return null;
    }
    String base = type + "|" + anchor.getSystem() + "|" + anchor.getValue() + "|" + key;
    int occurrence = derivedKeys.merge(base, 1, Integer::sum);
    UUID id = UUID.nameUUIDFromBytes((base + "|" + occurrence).getBytes(StandardCharsets.UTF_8));
    return new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + id);
  }

  /** The first identifier with a system, else the first with a value. */
  public static Identifier businessIdentifier(List<Identifier> identifiers) {
    for (Identifier i : identifiers) {
      if (i.hasSystem() && i.hasValue()) {
        return i;
      }
    }
    for (Identifier i : identifiers) {
      if (i.hasValue()) {
        return i;
      }
    }
    return null;
  }

  // ---- practitioners and organizations -------------------------------------------------------

  /** XCN to a Practitioner entry, one per distinct person in the message. */
  public Reference practitioner(Er7Field xcn) {
    if (xcn == null) {
      return null;
    }
    Identifier identifier = types.personIdentifier(xcn);
    HumanName name = types.personName(xcn);
    if (identifier == null && name == null) {
      return null;
    }
    String key =
        (identifier == null ? "" : identifier.getSystem() + "|" + identifier.getValue())
            + "/"
            + (name == null ? "" : name.getNameAsSingleString());
    Reference existing = practitioners.get(key);
    if (existing != null) {
      return new Reference(existing.getReference()).setDisplay(existing.getDisplay());
    }
    Practitioner practitioner = new Practitioner();
    if (identifier != null) {
      practitioner.addIdentifier(identifier);
    }
    if (name != null) {
      practitioner.addName(name);
    }
    Reference reference = add(practitioner, identifier);
    if (name != null) {
      reference.setDisplay(name.getNameAsSingleString());
    }
    practitioners.put(key, reference);
    return new Reference(reference.getReference()).setDisplay(reference.getDisplay());
  }

  /** An organization known by name (and optionally an identifier), one entry per distinct one. */
  public Reference organization(String name, Identifier identifier) {
    if (name == null && identifier == null) {
      return null;
    }
    String key =
        name
            + "/"
            + (identifier == null ? "" : identifier.getSystem() + "|" + identifier.getValue());
    Reference existing = organizations.get(key);
    if (existing != null) {
      return new Reference(existing.getReference()).setDisplay(existing.getDisplay());
    }
    Organization organization = new Organization();
    if (name != null) {
      organization.setName(name);
    }
    if (identifier != null) {
      organization.addIdentifier(identifier);
    }
    Reference reference = add(organization, identifier).setDisplay(name);
    organizations.put(key, reference);
    return new Reference(reference.getReference()).setDisplay(name);
  }

  // ---- anchors -------------------------------------------------------------------------------

  public void setPatient(Patient patient, Reference reference) {
    this.patient = patient;
    this.patientReference = reference;
  }

  public Patient patient() {
    return patient;
  }

  /** A new reference to the message's patient, or null when the message has no PID. */
  public Reference patientReference() {
    return patientReference == null ? null : new Reference(patientReference.getReference());
  }

  public void setEncounter(Encounter encounter, Reference reference) {
    this.encounter = encounter;
    this.encounterReference = reference;
  }

  public Encounter encounter() {
    return encounter;
  }

  public Reference encounterReference() {
    return encounterReference == null ? null : new Reference(encounterReference.getReference());
  }

  // ---- order group state ---------------------------------------------------------------------

  public Er7Segment pendingOrc() {
    return pendingOrc;
  }

  public void setPendingOrc(Er7Segment orc) {
    this.pendingOrc = orc;
  }

  public void startOrder(ServiceRequest order, Reference reference, DiagnosticReport report) {
    this.order = order;
    this.orderReference = reference;
    this.report = report;
    this.orderAwaitingObr = false;
    this.immunization = null;
    this.immunizationReference = null;
    this.specimen = null;
    this.specimenReference = null;
    this.observation = null;
    this.lastNoteTarget = report != null ? report : order;
  }

  /** True between an ORC that made a ServiceRequest and the OBR that completes it. */
  public boolean orderAwaitingObr() {
    return orderAwaitingObr;
  }

  public void setOrderAwaitingObr(boolean awaiting) {
    this.orderAwaitingObr = awaiting;
  }

  public ServiceRequest order() {
    return order;
  }

  public Reference orderReference() {
    return orderReference == null ? null : new Reference(orderReference.getReference());
  }

  public DiagnosticReport report() {
    return report;
  }

  public void setSpecimen(Specimen specimen, Reference reference) {
    this.specimen = specimen;
    this.specimenReference = reference;
    this.lastNoteTarget = specimen;
  }

  public Specimen specimen() {
    return specimen;
  }

  public Reference specimenReference() {
    return specimenReference == null ? null : new Reference(specimenReference.getReference());
  }

  public void setObservation(Observation observation) {
    this.observation = observation;
    this.lastNoteTarget = observation;
  }

  public Observation observation() {
    return observation;
  }

  public void setImmunization(Immunization immunization, Reference reference) {
    this.immunization = immunization;
    this.immunizationReference = reference;
    this.lastNoteTarget = immunization;
  }

  public Immunization immunization() {
    return immunization;
  }

  public Reference immunizationReference() {
    return immunizationReference == null
        ? null
        : new Reference(immunizationReference.getReference());
  }

  public void setDocument(DocumentReference document) {
    this.document = document;
    this.lastNoteTarget = document;
  }

  public DocumentReference document() {
    return document;
  }

  public org.hl7.fhir.r4.model.Appointment appointment() {
    return appointment;
  }

  public void setAppointment(org.hl7.fhir.r4.model.Appointment appointment) {
    this.appointment = appointment;
  }

  /** The resource an NTE segment annotates: the one made from the segment just before it. */
  public Object noteTarget() {
    return lastNoteTarget;
  }

  public void setNoteTarget(Object target) {
    this.lastNoteTarget = target;
  }
}
