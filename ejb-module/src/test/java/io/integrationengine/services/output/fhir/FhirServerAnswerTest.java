package io.integrationengine.services.output.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FhirServerAnswerTest {

  private static final FhirContext R4 = FhirContext.forR4Cached();
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String OUTCOME = """
      {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing",
       "diagnostics":"Patient.birthDate: not a valid date","expression":["Patient.birthDate"]}]}""";

  private static FhirServerAnswer classify(int status, String location, String retryAfter, String body) {
    return FhirServerAnswer.classify(R4, status, location, retryAfter, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void aCreatedResourceIsDeliveredWithItsIdAndVersionFromLocation() {
    assertThat(classify(201, "http://fhir.example/fhir/Patient/123/_history/1", null, "{\"resourceType\":\"Patient\",\"id\":\"123\"}"))
        .isEqualTo(new FhirServerAnswer.Delivered(201, java.util.List.of("Patient/123/_history/1")));
  }

  @Test
  void aTransactionResponseListsEveryEntrysLocation() {
    String response = """
        {"resourceType":"Bundle","type":"transaction-response","entry":[
          {"response":{"status":"201 Created","location":"Patient/7/_history/1"}},
          {"response":{"status":"200 OK","location":"http://h/fhir/Encounter/9/_history/3"}}]}""";
    assertThat(classify(200, null, null, response)).isEqualTo(new FhirServerAnswer.Delivered(200, java.util.List.of("Patient/7/_history/1", "Encounter/9/_history/3")));
  }

  @Test
  void aRefusalCarriesTheOperationOutcomesDiagnostics() {
    FhirServerAnswer answer = classify(422, null, null, OUTCOME);
    assertThat(answer).isInstanceOf(FhirServerAnswer.Refused.class);
    assertThat(((FhirServerAnswer.Refused) answer).reason()).isEqualTo("HTTP 422: error processing: Patient.birthDate: not a valid date (at Patient.birthDate)");
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 412, 422})
  void otherClientErrorsAreRefusedForGood(int status) {
    assertThat(classify(status, null, null, "nope")).isEqualTo(new FhirServerAnswer.Refused(status, "HTTP " + status + ": nope"));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsAreTriedAgain(int status) {
    assertThat(classify(status, null, null, "")).isEqualTo(new FhirServerAnswer.TryAgain(status, "HTTP " + status, null));
  }

  @Test
  void tooManyRequestsIsTriedAgainAfterRetryAfterInSeconds() {
    assertThat(classify(429, null, "3", OUTCOME)).isInstanceOfSatisfying(FhirServerAnswer.TryAgain.class, a -> assertThat(a.after()).isEqualTo(Duration.ofSeconds(3)));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    assertThat(FhirServerAnswer.retryAfter("Fri, 27 Nov 2026 12:00:42 GMT", NOW)).isEqualTo(Duration.ofSeconds(42));
    assertThat(FhirServerAnswer.retryAfter("Fri, 27 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void anUnreadableOrMissingRetryAfterGivesNoWait() {
    assertThat(FhirServerAnswer.retryAfter(null, NOW)).isNull();
    assertThat(FhirServerAnswer.retryAfter("soon", NOW)).isNull();
    assertThat(FhirServerAnswer.retryAfter("-5", NOW)).isNull();
  }
}
