package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A listener with a conformance profile (HAPI's ADT^A31 example profile, set on the channel
 * {@code engine/channels/mllp-default}): a message of that type that breaks it is answered AE
 * saying which rule, and stored as rejected with the reasons; other types are not checked.
 */
class ConformanceProfileIT {

  private static EngineUnderTest engine;

  @BeforeAll
  static void setProfile() throws URISyntaxException {
    engine = EngineUnderTest.get();
    Path profile = Path.of(ConformanceProfileIT.class.getResource("/testdata/hl7v2/hapi-hl7v2/profiles/ADT_A31_profile.xml").toURI());
    engine.define("channels", "mllp-default", "profiles", profile.toString());
  }

  @AfterAll
  static void removeProfile() {
    engine.removeDefinition("channels", "mllp-default");
  }

  @Test
  void aMessageBreakingItsProfileIsAnsweredAeWithTheReason() throws Exception {
    String controlId = "PF" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    // MSH-4 and PID-5 are required by the profile; this A31 has neither
    String message = "MSH|^~\\&|PROFILEIT||EHR|3910|20261127120000||ADT^A31|" + controlId + "|P|2.4\r"
        + "EVN|A31|20261127120000\r"
        + "PID|1||12345^^^HOSP^MR\r"
        + "PV1|1|N\r";

    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));

    assertThat(ack).contains("MSA|AE|" + controlId).contains("\rERR|");
    assertThat(ack).containsIgnoringCase("MSH-4");
    JsonObject stored = MllpToFileIT.onlyMessageWithControlId(controlId);
    assertThat(stored.getString("status")).isEqualTo("REJECTED");
    assertThat(stored.getString("statusDetail")).contains("Conformance profile violated").contains("ADT_A31_profile.xml");
  }

  @Test
  void aMessageOfAnotherTypeIsNotChecked() throws Exception {
    String controlId = "PO" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String message = "MSH|^~\\&|PROFILEIT||EHR||20261127120000||ADT^A08|" + controlId + "|P|2.4\rEVN|A08|20261127120000\rPID|1||12345^^^HOSP^MR\r";

    assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|" + controlId);
  }
}
