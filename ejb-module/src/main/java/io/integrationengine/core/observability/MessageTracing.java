package io.integrationengine.core.observability;

import io.integrationengine.core.model.StoredMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * One trace per message (OpenTelemetry): the intake span starts it, and its W3C
 * {@code traceparent} is stored on the message ({@code TRACE_PARENT}); routing and every delivery
 * attempt are spans of that trace, whichever thread, instance or hour they run in, because each
 * stage reads the stored message anyway. Off by default; with {@code engine.tracing.otlpEndpoint}
 * (an OTLP/HTTP receiver's base URL, {@code ./engine}'s {@code ENGINE_OTLP_ENDPOINT}) spans are
 * exported to {@code <endpoint>/v1/traces} in batches, by {@link ManagedSpanExport} on the
 * container's scheduled executor (no thread of the SDK's own). The engine carries its own
 * OpenTelemetry SDK in the EAR, so what it exports does not depend on the server's telemetry
 * settings (see {@code docs/operations.md}).
 */
@ApplicationScoped
public class MessageTracing {

  private static final Logger LOG = Logger.getLogger(MessageTracing.class.getName());
  static final String ENDPOINT = "engine.tracing.otlpEndpoint";

  @Inject
  ManagedSpanExport export;

  private Tracer tracer;
  private SdkTracerProvider provider;

  public MessageTracing() {}

  /** For tests and tools: spans from {@code tracer}. */
  public MessageTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Not tracing: every span is a no-op. */
  public static MessageTracing off() {
    return new MessageTracing(OpenTelemetry.noop().getTracer("integration-engine"));
  }

  @PostConstruct
  void init() {
    String endpoint = ConfigProvider.getConfig().getOptionalValue(ENDPOINT, String.class).map(String::strip)
        .filter(v -> !v.isEmpty() && !v.equalsIgnoreCase("none")).orElse(null);
    if (endpoint == null) {
      tracer = OpenTelemetry.noop().getTracer("integration-engine");
      return;
    }
    String traces = (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint) + "/v1/traces";
    try {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(traces).build();
      provider = SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "integration-engine"))))
          .addSpanProcessor(export.to(exporter))
          .build();
      tracer = provider.get("integration-engine");
      LOG.info(() -> "Tracing on: one trace per message, spans exported over OTLP/HTTP to " + traces);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Tracing could not start (" + ENDPOINT + "=" + endpoint + "); messages are not traced", e);
      tracer = OpenTelemetry.noop().getTracer("integration-engine");
    }
  }

  @PreDestroy
  void close() {
    if (provider != null) {
      provider.shutdown();
    }
  }

  /** Starts a message's trace with its intake span, and notes its {@code traceparent} on the message when the span is recorded. */
  public Span intake(StoredMessage message) {
    Span span = tracer.spanBuilder("intake " + message.getChannel()).setNoParent().setSpanKind(SpanKind.CONSUMER)
        .setAttribute("engine.message_id", message.getId())
        .setAttribute("engine.channel", message.getChannel())
        .setAttribute("engine.control_id", message.getControlId() == null ? "" : message.getControlId())
        .setAttribute("engine.message_type", message.getMessageType() == null ? "" : message.getMessageType())
        .startSpan();
    SpanContext context = span.getSpanContext();
    if (context.isValid()) {
      message.traceWith("00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex());
    }
    return span;
  }

  /**
   * A span of the message's trace (a child of its intake span); a message stored without one
   * (tracing was off, or taken from a file) starts its trace here.
   */
  public Span stage(StoredMessage message, String name, SpanKind kind) {
    var builder = tracer.spanBuilder(name).setSpanKind(kind).setAttribute("engine.message_id", message.getId());
    SpanContext parent = parse(message.getTraceParent());
    if (parent == null) {
      builder.setNoParent();
    } else {
      builder.setParent(Context.root().with(Span.wrap(parent)));
    }
    return builder.startSpan();
  }

  /** Ends a span as failed, with the reason. */
  public static void failed(Span span, String reason) {
    span.setStatus(StatusCode.ERROR, reason == null ? "" : reason);
    span.end();
  }

  /** {@code 00-<32 hex>-<16 hex>-<2 hex>} as a remote span context; null when absent or malformed. */
  static SpanContext parse(String traceParent) {
    if (traceParent == null || traceParent.length() != 55 || !traceParent.startsWith("00-")) {
      return null;
    }
    SpanContext context = SpanContext.createFromRemoteParent(traceParent.substring(3, 35), traceParent.substring(36, 52),
        TraceFlags.fromHex(traceParent, 53), TraceState.getDefault());
    return context.isValid() ? context : null;
  }
}
