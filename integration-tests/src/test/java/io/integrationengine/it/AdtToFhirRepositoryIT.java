package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The demo route of {@code config/fhir-repository.asadmin}, end to end: an ADT sent over MLLP is
 * converted by {@code toFhir()}, delivered to the built-in repository by the {@code fhir}
 * destination, and found there by its patient identifier with HAPI's generic client. Sent twice,
 * it is still one patient (the Bundle's conditional updates).
 */
class AdtToFhirRepositoryIT {

  @Test
  void anAdtSentOverMllpIsFoundInTheRepositoryByIdentifierOnce() throws Exception {
    EngineUnderTest engine = EngineUnderTest.get();
    String patientId = "FR" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String ssn = String.valueOf(100_000_000 + Math.abs(UUID.randomUUID().getMostSignificantBits() % 800_000_000));
    IGenericClient client = engine.fhirRepository("auditor");

    for (int i = 0; i < 2; i++) {
      String text = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").replace("PATID1234", patientId)
          // the converter's conditional update matches the patient on PID-3's SSN: one of this test's own
          .replace("123456789", ssn);
      String[] msh = text.substring(0, text.indexOf('\r')).split("\\|", -1);
      String controlId = "AF" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      msh[9] = controlId;
      String message = String.join("|", msh) + text.substring(text.indexOf('\r'));
      assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|" + controlId);
      String messageId = MllpToFileIT.onlyMessageWithControlId(controlId).getString("id");
      await().atMost(Duration.ofSeconds(90)).until(() -> MllpToFileIT.deliveries(messageId).getValuesAs(jakarta.json.JsonObject.class).stream()
          .anyMatch(d -> d.getString("destination").equals("fhir-repository") && d.getString("status").equals("DELIVERED")));
    }

    Bundle found = client.search().forResource(Patient.class).where(Patient.IDENTIFIER.exactly().code(patientId)).returnBundle(Bundle.class).execute();
    assertThat(found.getEntry()).as("one patient although the ADT came twice").hasSize(1);
    Patient patient = (Patient) found.getEntryFirstRep().getResource();
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("EVERYMAN");
  }
}
