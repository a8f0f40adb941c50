package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in FHIR repository at {@code /fhir}, through HAPI's generic FHIR client: Patients
 * created there are found by identifier, name, birth date and {@code _lastUpdated}, and by nothing
 * that does not match. Each run uses identifiers and names of its own, so earlier runs' patients
 * do not count. Reading takes a bearer token with role auditor, operator, admin or sender; writing
 * operator, admin or sender.
 */
class FhirRepositoryIT {

  static final FhirContext R4 = FhirContext.forR4Cached();
  private static IGenericClient client;

  @BeforeAll
  static void connect() {
    R4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    client = EngineUnderTest.get().fhirRepository("operator");
  }

  @Test
  void describesItselfAsAnR4Server() {
    CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
    assertThat(capabilities.getRestFirstRep().getResource()).anySatisfy(r -> assertThat(r.getType()).isEqualTo("Patient"));
  }

  @Test
  void takesBearerTokensReadsForAuditorsWritesForOperatorsAndSenders() {
    EngineUnderTest engine = EngineUnderTest.get();
    byte[] patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tokencheck\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(engine.request("GET", "/fhir/metadata", null, null, null).statusCode()).isEqualTo(200);
    assertThat(engine.request("GET", "/fhir/Patient?family=Tokencheck", null, null, null).statusCode()).isEqualTo(401);
    assertThat(engine.request("POST", "/fhir/Patient", null, "application/fhir+json", patient).statusCode()).isEqualTo(401);
    assertThat(engine.request("GET", "/fhir/Patient?family=Tokencheck", engine.token("auditor"), null, null).statusCode()).isEqualTo(200);
    assertThat(engine.request("POST", "/fhir/Patient", engine.token("auditor"), "application/fhir+json", patient).statusCode()).isEqualTo(403);
    assertThat(engine.request("POST", "/fhir/Patient", engine.senderToken(), "application/fhir+json", patient).statusCode()).isEqualTo(201);
  }

  @Test
  void findsCreatedPatientsByIdentifierNameBirthDateAndLastUpdated() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String system = "urn:oid:1.2.3.4." + Math.abs(run.hashCode());
    String family = "Fhirrepo" + run;
    Date beforeCreate = new Date(System.currentTimeMillis() - 2000);
    String anna = create(system, "MRN-1-" + run, family, "Anna", "1970-03-04");
    String ben = create(system, "MRN-2-" + run, family, "Ben", "1985-11-30");

    assertThat(ids(Patient.IDENTIFIER.exactly().systemAndCode(system, "MRN-1-" + run))).containsExactly(anna);
    assertThat(ids(Patient.IDENTIFIER.exactly().code("MRN-2-" + run))).containsExactly(ben);
    assertThat(ids(Patient.IDENTIFIER.exactly().systemAndCode(system, "MRN-9-" + run))).isEmpty();

    assertThat(ids(Patient.NAME.matches().value(family))).containsExactlyInAnyOrder(anna, ben);
    assertThat(ids(Patient.FAMILY.matchesExactly().value(family))).containsExactlyInAnyOrder(anna, ben);
    assertThat(ids(Patient.GIVEN.matches().value("Anna"), Patient.FAMILY.matches().value(family))).containsExactly(anna);

    assertThat(ids(Patient.BIRTHDATE.exactly().day("1970-03-04"), Patient.FAMILY.matches().value(family))).containsExactly(anna);
    assertThat(ids(Patient.BIRTHDATE.after().day("1980-01-01"), Patient.FAMILY.matches().value(family))).containsExactly(ben);
    assertThat(ids(Patient.BIRTHDATE.exactly().day("1999-01-01"), Patient.FAMILY.matches().value(family))).isEmpty();

    Bundle updatedSince = client.search().forResource(Patient.class).where(Patient.FAMILY.matches().value(family))
        .lastUpdated(new ca.uhn.fhir.rest.param.DateRangeParam().setLowerBound(new ca.uhn.fhir.rest.param.DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, beforeCreate)))
        .returnBundle(Bundle.class).execute();
    assertThat(ids(updatedSince)).containsExactlyInAnyOrder(anna, ben);
    Bundle updatedBefore = client.search().forResource(Patient.class).where(Patient.FAMILY.matches().value(family))
        .lastUpdated(new ca.uhn.fhir.rest.param.DateRangeParam().setUpperBound(new ca.uhn.fhir.rest.param.DateParam(ParamPrefixEnum.LESSTHAN, beforeCreate)))
        .returnBundle(Bundle.class).execute();
    assertThat(ids(updatedBefore)).isEmpty();

    Patient read = client.read().resource(Patient.class).withId(anna).execute();
    assertThat(read.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Anna");
    assertThat(read.getMeta().getVersionId()).isEqualTo("1");
  }

  private static String create(String system, String value, String family, String given, String birthDate) {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(system).setValue(value);
    patient.addName().setFamily(family).addGiven(given);
    patient.setGender(AdministrativeGender.UNKNOWN);
    patient.setBirthDateElement(new DateType(birthDate));
    var outcome = client.create().resource(patient).execute();
    assertThat(outcome.getCreated()).isTrue();
    return outcome.getId().getIdPart();
  }

  private static List<String> ids(ICriterion<?> first, ICriterion<?>... more) {
    var query = client.search().forResource(Patient.class).where(first);
    for (ICriterion<?> criterion : more) {
      query = query.and(criterion);
    }
    return ids(query.returnBundle(Bundle.class).execute());
  }

  private static List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }
}
