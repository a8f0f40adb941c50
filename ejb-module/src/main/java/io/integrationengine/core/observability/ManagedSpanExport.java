package io.integrationengine.core.observability;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exports ended spans in batches every second, on the container's managed scheduled executor (the
 * OpenTelemetry SDK's own batch processor would start a thread of its own). At most
 * {@value #CAPACITY} spans wait; when the receiver is slower than the engine, the newest are
 * dropped and counted in the log, never slowing a message down.
 */
@ApplicationScoped
public class ManagedSpanExport {

  private static final Logger LOG = Logger.getLogger(ManagedSpanExport.class.getName());
  static final int CAPACITY = 50_000;
  private static final int BATCH = 512;

  @Resource
  ManagedScheduledExecutorService scheduler;

  /** A span processor that queues ended spans for {@code exporter}, flushed every second. */
  public SpanProcessor to(SpanExporter exporter) {
    Batches batches = new Batches(exporter);
    batches.schedule = scheduler.scheduleWithFixedDelay(batches::flush, 1, 1, TimeUnit.SECONDS);
    return batches;
  }

  static final class Batches implements SpanProcessor {
    private final SpanExporter exporter;
    private final BlockingQueue<SpanData> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    ScheduledFuture<?> schedule;

    Batches(SpanExporter exporter) {
      this.exporter = exporter;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      // nothing at start
    }

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      if (span.getSpanContext().isSampled() && !queue.offer(span.toSpanData())) {
        dropped.incrementAndGet();
      }
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    /** Sends what waits, in batches; a failed export is logged by the exporter and its spans are not sent again. */
    void flush() {
      try {
        List<SpanData> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
          exporter.export(batch).join(10, TimeUnit.SECONDS);
          batch = new ArrayList<>(BATCH);
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          LOG.warning(() -> lost + " span(s) dropped: more than " + CAPACITY + " were waiting for the OTLP receiver");
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Exporting spans failed", e);
      }
    }

    @Override
    public CompletableResultCode forceFlush() {
      flush();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      if (schedule != null) {
        schedule.cancel(false);
      }
      flush();
      return exporter.shutdown();
    }
  }
}
