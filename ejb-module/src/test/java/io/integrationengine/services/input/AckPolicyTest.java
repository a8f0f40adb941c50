package io.integrationengine.services.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.integrationengine.services.input.AckPolicy.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AckPolicyTest {

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
    // listener mode, MSH-15, MSH-16, outcome, expected code or NONE
    "auto, null, null, ACCEPTED, AA",
    "auto, null, null, CONTENT_ERROR, AE",
    "auto, null, null, REJECTED, AR",
    "auto, AL, null, ACCEPTED, CA",
    "auto, null, AL, ACCEPTED, CA",
    "auto, AL, NE, CONTENT_ERROR, CE",
    "auto, AL, NE, REJECTED, CR",
    "auto, NE, AL, ACCEPTED, NONE",
    "auto, NE, AL, REJECTED, NONE",
    "auto, ER, null, ACCEPTED, NONE",
    "auto, ER, null, CONTENT_ERROR, CE",
    "auto, SU, null, ACCEPTED, CA",
    "auto, SU, null, REJECTED, NONE",
    "original, AL, AL, ACCEPTED, AA",
    "original, NE, null, ACCEPTED, AA",
    "enhanced, null, null, ACCEPTED, CA",
  })
  void followsHl7AcknowledgementRules(String mode, String msh15, String msh16, Outcome outcome, String expected) {
    AckPolicy policy = AckPolicy.of(mode, msh15, msh16);
    if (expected.equals("NONE")) {
      assertThat(policy.answers(outcome)).isFalse();
    } else {
      assertThat(policy.answers(outcome)).isTrue();
      assertThat(policy.code(outcome)).isEqualTo(AcknowledgmentCode.valueOf(expected));
    }
  }
}
