package io.integrationengine.services.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.fakes.InMemoryDeliveryLog;
import io.integrationengine.fakes.InMemoryDeliveryQueue;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.fakes.TrackingUnitOfWork;
import io.integrationengine.services.routing.RouteRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A destination's {@code Retry-After} ({@link RetryLater}) puts the retry no sooner than it asked. */
class RetryLaterTest {

  /** The in-memory queue, keeping when each retry is due. */
  static final class DueRecordingQueue extends InMemoryDeliveryQueue {
    final List<Long> dueAt = new ArrayList<>();

    @Override
    public void settle(String destination, List<Settlement> settlements) {
      settlements.stream().filter(DeliveryQueue.Retry.class::isInstance).map(s -> ((DeliveryQueue.Retry) s).dueAtMillis()).forEach(dueAt::add);
      super.settle(destination, settlements);
    }
  }

  private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
  private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
  private final DueRecordingQueue queue = new DueRecordingQueue();
  private final MapDefinitionSource definitions = new MapDefinitionSource();

  private DeliveryWorker worker(Duration retryAfter) {
    DestinationConnector connector = new DestinationConnector() {
      @Override
      public String type() {
        return "busy";
      }

      @Override
      public String deliver(OutboundMessage message, DestinationDefinition destination) throws Exception {
        throw new RetryLater("HTTP 429", retryAfter);
      }
    };
    definitions.define("destinations", "d", "type", "busy", "maxAttempts", "5", "initialBackoffMillis", "100", "maxBackoffMillis", "200");
    definitions.define("routes", "r", "destinations", "d");
    return new DeliveryWorker(queue, new DestinationRegistry(definitions), new RouteRegistry(definitions, List.of()), messages, deliveries, new TrackingUnitOfWork(),
        List.of(connector));
  }

  private StoredMessage plan() {
    StoredMessage m = StoredMessage.received("MSH|^~\\&|a|b\r".getBytes(StandardCharsets.ISO_8859_1), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1, "test", null);
    m.describe(List.of(new MessageAttribute(Attributes.CONTROL_ID, "CTRL1")));
    messages.add(m);
    deliveries.plan(List.of(new DeliveryRecord(m.getId(), "r", "d", null)));
    queue.enqueue(List.of(DeliveryTask.create(m.getId(), "r", "d", null)));
    return m;
  }

  private void drain(DeliveryWorker worker) {
    for (int lane = 0; lane < DeliveryQueue.LANES; lane++) {
      worker.drain("d", List.of(lane), 100);
    }
  }

  @Test
  void theRetryWaitsAtLeastAsLongAsTheDestinationAsked() {
    DeliveryWorker worker = worker(Duration.ofSeconds(30));
    StoredMessage m = plan();
    long before = System.currentTimeMillis();

    drain(worker);

    assertThat(deliveries.get(m.getId(), "d").getStatus()).isEqualTo(DeliveryStatus.RETRYING);
    assertThat(deliveries.get(m.getId(), "d").getLastError()).contains("HTTP 429");
    assertThat(queue.dueAt).singleElement().satisfies(due -> assertThat(due).isGreaterThanOrEqualTo(before + 30_000));
  }

  @Test
  void withoutRetryAfterTheBackoffDecides() {
    DeliveryWorker worker = worker(null);
    plan();
    long before = System.currentTimeMillis();

    drain(worker);

    assertThat(queue.dueAt).singleElement().satisfies(due -> assertThat(due).isBetween(before, System.currentTimeMillis() + 200));
  }
}
