package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hospital system without MSH-18 sends, in the charset it happens to use, reaches a file
 * destination byte for byte, and the API shows it decoded correctly: no U+FFFD, no re-encoding.
 * The message is Microsoft's ADT^A01 sample (LF separators, no MSH-18) with a patient name only
 * the tested charset can write together with the rest.
 */
class CharsetIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @ParameterizedTest
  @ValueSource(strings = {"ISO-8859-1", "windows-1252", "UTF-8"})
  void aMessageWithoutMsh18ArrivesByteForByteAndReadsCorrectly(String charsetName) throws Exception {
    Charset charset = Charset.forName(charsetName);
    String controlId = "CS" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    // Windows-1252 has the euro sign and curly quotes where ISO-8859-1 has control characters
    String name = charsetName.equals("windows-1252") ? "M\u00fcller\u2019s^Ren\u00e9 \u20ac" : "M\u00fcller^Ren\u00e9 \u00c5se";
    String text = new String(TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"), "UTF-8")
        .replace("MSG00001", controlId)
        .replace("EVERYMAN&&&&Aniston^ADAM", name);
    assertThat(text).contains(name);
    byte[] sent = text.getBytes(charset);

    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), sent);

    assertThat(ack).contains("MSA|AA|" + controlId);
    Path delivered = await().atMost(Duration.ofSeconds(60)).until(() -> MllpToFileIT.deliveredFile("adt", controlId), Optional::isPresent).get();
    assertThat(Files.readAllBytes(delivered)).as("delivered bytes").isEqualTo(sent);
    JsonObject summary = MllpToFileIT.onlyMessageWithControlId(controlId);
    JsonObject detail = json("/api/messages/" + summary.getString("id")).asJsonObject();
    assertThat(detail.getString("content")).contains(name).doesNotContain("\uFFFD");
    assertThat(detail.getInt("size")).isEqualTo(sent.length);
    assertThat(detail.getJsonObject("attributes").getJsonArray("patientName").getString(0)).isEqualTo(name);
    assertThat(summary.getString("charset")).isEqualTo(charsetName.equals("ISO-8859-1") ? "windows-1252" : charsetName);
    byte[] raw = engine.getBytes("/api/messages/" + summary.getString("id") + "/raw");
    assertThat(raw).as("raw bytes from the API").isEqualTo(sent);
  }
}
