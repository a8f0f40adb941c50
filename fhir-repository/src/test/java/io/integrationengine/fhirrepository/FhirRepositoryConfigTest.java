package io.integrationengine.fhirrepository;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.Date;
import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The repository's Spring context on an in-memory H2 database, without a server: it starts, stores
 * a Patient, and finds it by the searches the engine relies on. Catches a missing bean or a jar
 * left out of the WAR before a deploy does.
 */
class FhirRepositoryConfigTest {

  private static AnnotationConfigApplicationContext context;
  private static IFhirResourceDao<Patient> patients;

  @BeforeAll
  static void start() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:fhir-repository-test;DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    context = FhirRepositoryServlet.start(dataSource);
    patients = context.getBean(DaoRegistry.class).getResourceDao(Patient.class);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @Test
  void storesAPatientAndFindsItByIdentifierNameBirthDateAndLastUpdated() throws Exception {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("MRN-4711");
    patient.addName().setFamily("Müller").addGiven("Anna");
    patient.setGender(Enumerations.AdministrativeGender.FEMALE);
    patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-03-04"));
    Date before = new Date(System.currentTimeMillis() - 1000);
    String id = patients.create(patient, new SystemRequestDetails()).getId().getIdPart();

    assertThat(ids(SearchParameterMap.newSynchronous("identifier", new TokenParam("urn:oid:2.16.840.1.113883.19.5", "MRN-4711")))).containsExactly(id);
    assertThat(ids(SearchParameterMap.newSynchronous("identifier", new TokenParam(null, "MRN-0000")))).isEmpty();
    assertThat(ids(SearchParameterMap.newSynchronous("name", new StringParam("muller")))).containsExactly(id);
    assertThat(ids(SearchParameterMap.newSynchronous("family", new StringParam("Müller")))).containsExactly(id);
    assertThat(ids(SearchParameterMap.newSynchronous("birthdate", new DateParam("1970-03-04")))).containsExactly(id);
    assertThat(ids(SearchParameterMap.newSynchronous("birthdate", new DateParam("1971-03-04")))).isEmpty();
    SearchParameterMap updatedSince = SearchParameterMap.newSynchronous();
    updatedSince.setLastUpdated(new DateRangeParam(before, null));
    assertThat(ids(updatedSince)).contains(id);
    SearchParameterMap updatedBefore = SearchParameterMap.newSynchronous();
    updatedBefore.setLastUpdated(new DateRangeParam(null, before));
    assertThat(ids(updatedBefore)).doesNotContain(id);
  }

  private static java.util.List<String> ids(SearchParameterMap query) {
    return patients.search(query, new SystemRequestDetails()).getAllResources().stream().map(r -> r.getIdElement().getIdPart()).toList();
  }
}
