package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationengine.it.OtlpReceiver.ReceivedSpan;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One trace per message: an ADT sent over MLLP is one trace at the OTLP receiver (the build's
 * engine exports to it), with the intake span as its root, and the routing span and a delivery
 * span per destination as its children; the message's trace id is in the API.
 */
class TracingIT {

  @Test
  void anAdtOverMllpIsOneTraceOfIntakeRoutingAndDeliverySpans() throws Exception {
    EngineUnderTest engine = EngineUnderTest.get();
    String controlId = "TR" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String adt = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").replace("MSG00001", controlId);
    assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), adt.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|" + controlId);

    JsonObject message = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> MllpToFileIT.onlyMessageWithControlId(controlId), m -> m != null);
    String traceId = message.getString("traceId");
    assertThat(traceId).matches("[0-9a-f]{32}");

    // the demo routes send an ADT to out/adt (adt-files) and, converted, to the FHIR repository
    List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(90)).until(() -> engine.trace(traceId),
        t -> t.stream().filter(s -> s.name().startsWith("deliver ")).map(ReceivedSpan::name).distinct().count() >= 2);
    ReceivedSpan intake = spans.stream().filter(s -> s.name().startsWith("intake ")).findFirst().orElseThrow(() -> new AssertionError("no intake span: " + spans));
    assertThat(intake.parentSpanId()).isEmpty();
    assertThat(intake.service()).isEqualTo("integration-engine");
    assertThat(spans).filteredOn(s -> s.name().equals("route")).singleElement().satisfies(s -> assertThat(s.parentSpanId()).isEqualTo(intake.spanId()));
    assertThat(spans).filteredOn(s -> s.name().startsWith("deliver ")).extracting(ReceivedSpan::name).contains("deliver adt-files", "deliver fhir-repository");
    assertThat(spans).filteredOn(s -> !s.name().startsWith("intake ")).allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(intake.spanId()));
  }
}
