package io.integrationengine.core.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.StoredMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MessageTracingTest {

  private final List<SpanData> exported = new CopyOnWriteArrayList<>();
  private final MessageTracing tracing = new MessageTracing(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  })).build().get("test"));

  private static StoredMessage message() {
    return StoredMessage.received("MSH|^~\\&|A\r".getBytes(StandardCharsets.US_ASCII), ContentType.HL7V2_ER7, StandardCharsets.US_ASCII, "mllp:test", "127.0.0.1");
  }

  @Test
  void theIntakeSpanStartsTheMessagesTraceAndLaterStagesJoinItFromTheStoredTraceparent() {
    StoredMessage message = message();
    tracing.intake(message).end();
    assertThat(message.getTraceParent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    tracing.stage(message, "route", SpanKind.INTERNAL).end();
    Span delivery = tracing.stage(message, "deliver out", SpanKind.CLIENT);
    MessageTracing.failed(delivery, "RETRYING: refused");

    assertThat(exported).extracting(SpanData::getName).containsExactly("intake mllp:test", "route", "deliver out");
    SpanData intake = exported.get(0);
    assertThat(intake.getTraceId()).isEqualTo(message.getTraceId());
    assertThat(intake.getParentSpanContext().isValid()).isFalse();
    for (SpanData stage : exported.subList(1, 3)) {
      assertThat(stage.getTraceId()).isEqualTo(message.getTraceId());
      assertThat(stage.getParentSpanId()).isEqualTo(intake.getSpanId());
    }
    assertThat(exported.get(2).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exported.get(2).getStatus().getDescription()).contains("refused");
  }

  @Test
  void aMessageStoredWithoutATraceStartsOneAtItsFirstStage() {
    StoredMessage message = message();
    tracing.stage(message, "route", SpanKind.INTERNAL).end();
    assertThat(exported).singleElement().satisfies(s -> assertThat(s.getParentSpanContext().isValid()).isFalse());
  }

  @Test
  void offStoresNothing() {
    StoredMessage message = message();
    MessageTracing.off().intake(message).end();
    assertThat(message.getTraceParent()).isNull();
    assertThat(message.getTraceId()).isNull();
  }

  @Test
  void malformedTraceparentsAreIgnored() {
    assertThat(MessageTracing.parse("00-xyz")).isNull();
    assertThat(MessageTracing.parse("00-00000000000000000000000000000000-0000000000000000-01")).isNull();
    assertThat(MessageTracing.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }
}
