package io.integrationengine.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP trace receiver, as a collector would be: it takes {@code POST /v1/traces} with
 * protobuf bodies and keeps each span's trace id, id, parent, name and service. The engine under
 * test exports to it ({@code ENGINE_OTLP_ENDPOINT=auto} in the build); started with the first
 * test that asks for the engine, it keeps the spans of the whole run (only a summary of each).
 */
final class OtlpReceiver {

  /** One received span. */
  record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name) {}

  private static final int LIMIT = 300_000;
  private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final HttpServer server;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** Listens where {@code endpoint} ({@code http://127.0.0.1:<port>}) says. */
  static OtlpReceiver start(String endpoint) {
    URI uri = URI.create(endpoint);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", uri.getPort()), 50);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/traces", exchange -> {
        try (InputStream body = exchange.getRequestBody()) {
          receiver.take(ExportTraceServiceRequest.parseFrom(body));
          byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
          if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
          }
        } catch (RuntimeException | IOException e) {
          exchange.sendResponseHeaders(400, -1);
        } finally {
          exchange.close();
        }
      });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for OTLP on " + endpoint, e);
    }
  }

  private void take(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = resource.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
          .map(a -> a.getValue().getStringValue()).findFirst().orElse("");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (var span : scope.getSpansList()) {
          if (count.incrementAndGet() <= LIMIT) {
            spans.add(new ReceivedSpan(service, hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                hex.formatHex(span.getParentSpanId().toByteArray()), span.getName()));
          }
        }
      }
    }
  }

  /** The spans received so far of one trace. */
  List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }
}
