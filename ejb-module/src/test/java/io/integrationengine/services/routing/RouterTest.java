package io.integrationengine.services.routing;

import io.integrationengine.fakes.RecordingMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.DeliveryRecord;
import io.integrationengine.core.model.DeliveryStatus;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.queues.DeliveryTask;
import io.integrationengine.fakes.InMemoryDeliveryLog;
import io.integrationengine.fakes.InMemoryDeliveryQueue;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.fakes.TrackingUnitOfWork;
import io.integrationengine.services.input.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {

  private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
  private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
  private final TrackingUnitOfWork work = new TrackingUnitOfWork();
  private final MapDefinitionSource definitions = new MapDefinitionSource();

  private Router router() {
    return new Router(messages, deliveries, queue, new RouteRegistry(definitions, List.of()), work);
  }

  private StoredMessage store(String sample) {
    StoredMessage m = StoredMessage.received(TestData.text(sample).getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_ER7, StandardCharsets.UTF_8, "mllp:default", "127.0.0.1:1");
    String type = TestData.text(sample).replace('\n', '\r').split("\r")[0].split("\\|")[8];
    String[] parts = type.split("\\^");
    m.describe(List.of(new MessageAttribute(Attributes.MESSAGE_TYPE, parts[0] + (parts.length > 1 ? "^" + parts[1] : "")), new MessageAttribute(Attributes.CONTROL_ID, "C1")));
    messages.add(m);
    return m;
  }

  @Test
  void aRouteOnPatientSexTakesOnlyWomen() {
    definitions.define("routes", "women", "condition", "PID-8 = F", "destinations", "womens-clinic");
    StoredMessage woman = store("hl7v2/microsoft-fhir-converter/ADT04-251.hl7");
    StoredMessage man = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    Router router = router();
    router.route(woman.getId());
    router.route(man.getId());

    assertThat(queue.all("womens-clinic")).extracting(DeliveryTask::messageId).containsExactly(woman.getId());
    assertThat(woman.getStatus()).isEqualTo(MessageStatus.ROUTED);
    assertThat(man.getStatus()).isEqualTo(MessageStatus.UNROUTED);
    assertThat(deliveries.get(woman.getId(), "womens-clinic").getStatus()).as("marked a moment later, in bulk").isEqualTo(DeliveryStatus.PENDING);
    assertThat(router.markQueued()).isEqualTo(1);
    assertThat(deliveries.get(woman.getId(), "womens-clinic").getStatus()).isEqualTo(DeliveryStatus.QUEUED);
  }

  @Test
  void aDeliveryWhoseOutcomeIsRecordedBeforeTheMarkingIsNotMarked() {
    definitions.define("routes", "women", "condition", "PID-8 = F", "destinations", "womens-clinic");
    StoredMessage woman = store("hl7v2/microsoft-fhir-converter/ADT04-251.hl7");

    Router router = router();
    router.route(woman.getId());
    router.settled(List.of(DeliveryRecord.key(woman.getId(), "womens-clinic")));

    assertThat(router.markQueued()).as("nothing left to mark").isZero();
    assertThat(deliveries.get(woman.getId(), "womens-clinic").getStatus()).isEqualTo(DeliveryStatus.PENDING);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "fhirpath('Patient.gender') = male ; true",
    "fhirpath('Patient.gender') = female ; false",
    "fhirpath('Patient.identifier.where(type.coding.code = \\'MR\\').value') = 12345 ; true",
    "fhirpath('Patient.birthDate') ~ '19[0-9]{2}-.*' ; true",
    "fhirpath('Patient.deceased') exists ; true",
    "fhirpath('Patient.photo') exists ; false",
    "@messageType = Patient and fhirpath('Patient.active') = true ; true",
  })
  void fhirPathConditionsReadFhirContent(String condition, boolean routed) {
    definitions.define("routes", "fhir", "condition", condition, "destinations", "repository");
    StoredMessage patient = StoredMessage.received(TestData.text("fhir/fhir-test-cases/r4-examples/patient-example.json").getBytes(StandardCharsets.UTF_8),
        ContentType.FHIR_JSON, StandardCharsets.UTF_8, "fhir:fhir", "127.0.0.1:1");
    patient.describe(List.of(new MessageAttribute(Attributes.MESSAGE_TYPE, "Patient")));
    messages.add(patient);

    router().route(patient.getId());

    assertThat(patient.getStatus()).isEqualTo(routed ? MessageStatus.ROUTED : MessageStatus.UNROUTED);
  }

  @Test
  void aFhirPathConditionOnHl7v2ContentHasNoValues() {
    definitions.define("routes", "fhir", "condition", "fhirpath('Patient.gender') exists", "destinations", "repository");
    StoredMessage er7 = store("hl7v2/microsoft-fhir-converter/ADT04-251.hl7");

    router().route(er7.getId());

    assertThat(er7.getStatus()).isEqualTo(MessageStatus.UNROUTED);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    // the second OBX of the report is the erythrocyte count
    "OBX(2)-3.1 = 11273-0 ; true",
    "OBX(2)-3.1 = 11156-7 ; false",
    // any OBX
    "OBX-3.1 in (20509-6, 99999-9) ; true",
    "OBX-3.2 ~ '(?i).*platelets' ; true",
    "OBX-3.1 = 20509-6 and not PID-8 = F ; true",
    "@messageType = ORU^R01 and (PID-8 = F or PID-8 = U) ; false",
    "ZZZ-1 exists ; false",
  })
  void conditionsReadFieldsOfAnyRepetitionOrAGivenOne(String condition, boolean routed) {
    definitions.define("routes", "lab", "condition", condition, "destinations", "lab");
    StoredMessage report = store("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7");

    router().route(report.getId());

    assertThat(report.getStatus()).isEqualTo(routed ? MessageStatus.ROUTED : MessageStatus.UNROUTED);
    assertThat(queue.all("lab")).hasSize(routed ? 1 : 0);
  }

  @Test
  void theOldMessageTypePatternsStillWork() {
    definitions.define("routes", "adt", "messageTypes", "ADT^A0*, ORU^R01", "destinations", "d");
    definitions.define("routes", "siu", "messageTypes", "SIU", "destinations", "s");
    StoredMessage adt = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    StoredMessage siu = store("hl7v2/microsoft-fhir-converter/SIU-S12-01.hl7");
    StoredMessage orm = store("hl7v2/microsoft-fhir-converter/ORM-O01-01.hl7");

    List.of(adt, siu, orm).forEach(m -> router().route(m.getId()));

    assertThat(queue.all("d")).extracting(DeliveryTask::messageId).containsExactly(adt.getId());
    assertThat(queue.all("s")).extracting(DeliveryTask::messageId).containsExactly(siu.getId());
    assertThat(orm.getStatus()).isEqualTo(MessageStatus.UNROUTED);
  }

  @Test
  void aDestinationCanComeFromContentThroughALookupTable() {
    definitions.define("tables", "receivers", "EHRApp", "ehr-files", "LAB", "lab-files");
    definitions.define("routes", "dynamic", "destinationFrom", "MSH-5.1", "destinationTable", "receivers");
    StoredMessage toEhr = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    router().route(toEhr.getId());

    assertThat(queue.all("ehr-files")).hasSize(1);
    assertThat(toEhr.getStatusDetail()).contains("dynamic -> ehr-files");
  }

  @Test
  void aValueMissingFromTheLookupTableLeavesTheMessageUnroutedSayingWhy() {
    definitions.define("tables", "receivers", "NOBODY", "x");
    definitions.define("routes", "dynamic", "destinationFrom", "MSH-5.1", "destinationTable", "receivers");
    StoredMessage message = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    router().route(message.getId());

    assertThat(message.getStatus()).isEqualTo(MessageStatus.UNROUTED);
    assertThat(message.getStatusDetail()).contains("no entry for MSH-5.1 = 'EHRApp' in lookup table receivers");
  }

  @Test
  void anInvalidRouteIsReportedAndSkippedWhileTheOthersWork() {
    definitions.define("routes", "broken", "condition", "PID-8 == F", "destinations", "x");
    definitions.define("routes", "no-table", "destinationFrom", "MSH-5.1", "destinationTable", "missing");
    definitions.define("routes", "good", "condition", "PID-8 = M", "destinations", "men");
    RouteRegistry registry = new RouteRegistry(definitions, List.of());
    StoredMessage man = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    new Router(messages, deliveries, queue, registry, work).route(man.getId());

    assertThat(registry.invalid()).containsOnlyKeys("broken", "no-table");
    assertThat(registry.invalid().get("broken")).contains("==");
    assertThat(registry.invalid().get("no-table")).contains("destinationTable 'missing'");
    assertThat(queue.all("men")).hasSize(1);
  }

  @Test
  void redisIsWrittenOnlyAfterTheRoutingCommitted() {
    definitions.define("routes", "all", "condition", "", "destinations", "a, b, c");
    queue.whileEnqueueing(() -> !work.inTransaction(), "the router wrote to Redis inside the routing transaction");
    StoredMessage message = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    router().route(message.getId());

    assertThat(queue.all("a")).hasSize(1);
  }

  @Test
  void whenRedisFailsAfterRoutingCommittedRecoveryQueuesEachDeliveryOnce() {
    definitions.define("routes", "all", "destinations", "a, b, c");
    StoredMessage message = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    queue.failNext("enqueue", 1);
    Router router = router();

    router.route(message.getId());
    assertThat(message.getStatus()).isEqualTo(MessageStatus.ROUTED);
    assertThat(deliveries.forMessage(message.getId())).extracting(d -> d.getStatus()).containsOnly(DeliveryStatus.PENDING);
    // the broker redelivers the routing request; then the recovery sweep queues what is still pending
    router.route(message.getId());
    router.hand(deliveries.pendingSince(java.time.OffsetDateTime.now().plusSeconds(1), 100).stream()
        .map(d -> DeliveryTask.create(d.getMessageId(), d.getRoute(), d.getDestination(), d.getOrderKey())).toList());
    router.markQueued();

    for (String destination : List.of("a", "b", "c")) {
      assertThat(queue.all(destination)).as(destination).hasSize(1);
      assertThat(deliveries.get(message.getId(), destination).getStatus()).isEqualTo(DeliveryStatus.QUEUED);
    }
  }

  @Test
  void requestsArrivingWhileABatchIsRoutedAreRoutedTogetherInTheNext() throws Exception {
    definitions.define("routes", "all", "destinations", "a");
    java.util.concurrent.CountDownLatch firstPlanStarted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch releaseFirstPlan = new java.util.concurrent.CountDownLatch(1);
    InMemoryDeliveryLog slowLog = new InMemoryDeliveryLog() {
      @Override
      public void plan(java.util.Collection<io.integrationengine.core.model.DeliveryRecord> planned) {
        if (firstPlanStarted.getCount() > 0) {
          firstPlanStarted.countDown();
          try {
            releaseFirstPlan.await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.plan(planned);
      }
    };
    Router router = new Router(messages, slowLog, queue, new RouteRegistry(definitions, List.of()), work);
    List<StoredMessage> stored = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stored.add(store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));
    }
    Thread leader = new Thread(() -> router.routeTogether(List.of(stored.get(0).getId())));
    leader.start();
    firstPlanStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);

    // three more requests while the first batch is planned: each returns at once
    for (int i = 1; i < 4; i++) {
      router.routeTogether(List.of(stored.get(i).getId()));
    }
    releaseFirstPlan.countDown();
    leader.join(10_000);

    assertThat(queue.all("a")).hasSize(4);
    assertThat(work.committed).as("the first request alone, then the three that waited together").isEqualTo(2);
  }

  @Test
  void aRoutingWaitsForMoreMessagesBeforeItPlansABatchThatIsNotFull() throws Exception {
    definitions.define("routes", "all", "destinations", "a");
    Router router = router();
    router.lingerNanos(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
    List<String> ids = storeAdts(4);
    Thread leader = lingeringLeader(router, ids.get(0));

    for (int i = 1; i < 4; i++) {
      router.routeTogether(List.of(ids.get(i)));
    }
    leader.join(10_000);

    assertThat(queue.all("a")).hasSize(4);
    assertThat(work.committed).as("the four requests in one routing").isEqualTo(1);
  }

  @Test
  void aFullBatchIsPlannedWithoutWaiting() throws Exception {
    definitions.define("routes", "all", "destinations", "a");
    Router router = router();
    router.lingerNanos(java.util.concurrent.TimeUnit.MINUTES.toNanos(10));
    List<String> ids = storeAdts(200);
    Thread leader = lingeringLeader(router, ids.get(0));

    router.routeTogether(ids.subList(1, 200));
    leader.join(10_000);

    assertThat(leader.isAlive()).as("the routing went on as soon as its batch was full").isFalse();
    assertThat(queue.all("a")).hasSize(200);
    assertThat(work.committed).isEqualTo(1);
  }

  private List<String> storeAdts(int count) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").getId());
    }
    return ids;
  }

  /** Starts a routing of the message on a thread of its own, and returns once that routing waits for its batch to fill. */
  private static Thread lingeringLeader(Router router, String id) {
    Thread leader = new Thread(() -> router.routeTogether(List.of(id)));
    leader.setDaemon(true);
    leader.start();
    org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(1)).atMost(java.time.Duration.ofSeconds(10)).until(router::lingering);
    return leader;
  }

  @Test
  void anIdNotInTheStoreIsSkippedAndTheOthersRoutedWithIt() {
    definitions.define("routes", "all", "destinations", "a");
    StoredMessage message = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");

    router().route(List.of("nope", message.getId()));

    assertThat(queue.all("a")).extracting(DeliveryTask::messageId).containsExactly(message.getId());
    assertThat(work.committed).as("one transaction plans the batch").isEqualTo(1);
  }

  @Test
  void deliveriesAreOrderedByPatientByDefaultOrByTheRoutesOperand() {
    definitions.define("routes", "byPatient", "destinations", "a");
    definitions.define("routes", "byVisit", "destinations", "b", "orderBy", "PV1-19");
    definitions.define("routes", "unordered", "destinations", "c", "orderBy", "none");
    StoredMessage message = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    message.describe(List.of(new MessageAttribute(Attributes.PATIENT_IDENTIFIER, "MRN7^^^HOSP")));

    router().route(message.getId());

    assertThat(queue.all("a")).singleElement().satisfies(t -> assertThat(t.orderKey()).isEqualTo("MRN7^^^HOSP"));
    assertThat(deliveries.get(message.getId(), "a").getOrderKey()).isEqualTo("MRN7^^^HOSP");
    assertThat(queue.all("b")).singleElement().satisfies(t -> assertThat(t.orderKey()).isEqualTo(StoredMessageViewValues.first(message, "PV1-19")));
    assertThat(queue.all("c")).singleElement().satisfies(t -> assertThat(t.orderKey()).isNull());
  }

  @Test
  void anUnreadableOrderByMakesTheRouteInvalid() {
    definitions.define("routes", "bad", "destinations", "a", "orderBy", "PID-");

    RouteRegistry registry = new RouteRegistry(definitions, List.of());

    assertThat(registry.invalid()).containsKey("bad");
    assertThat(registry.invalid().get("bad")).contains("orderBy");
  }

  /** A field's first value as routing reads it. */
  private static final class StoredMessageViewValues {
    static String first(StoredMessage message, String path) {
      List<String> values = new StoredMessageView(message).values(path);
      return values.isEmpty() ? null : values.get(0);
    }
  }

  @Test
  void routedMessagesAreCountedPerRouteAndUnroutedOnesOnce() {
    definitions.define("routes", "adt", "messageTypes", "ADT", "destinations", "a");
    definitions.define("routes", "all", "messageTypes", "ADT,ORU", "destinations", "b");
    RecordingMetrics metrics = new RecordingMetrics();
    Router router = router();
    router.metrics = metrics;

    router.route(List.of(store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").getId(), store("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7").getId(),
        store("hl7v2/microsoft-fhir-converter/SIU-S12-01.hl7").getId()));

    assertThat(metrics.all()).containsOnly(java.util.Map.entry("routed adt", 1), java.util.Map.entry("routed all", 2), java.util.Map.entry("unrouted", 1));
  }

  @Test
  void aMessageRoutedMeanwhileByAnotherRoutingIsNotRoutedTwice() {
    definitions.define("routes", "all", "messageTypes", "ADT", "destinations", "a");
    StoredMessage raced = store("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7");
    StoredMessage other = store("hl7v2/microsoft-fhir-converter/ADT04-251.hl7");
    InMemoryMessageRepository racing = new InMemoryMessageRepository() {
      @Override
      public List<StoredMessage> findAll(java.util.Collection<String> ids) {
        List<StoredMessage> read = super.findAll(ids);
        // recovery's routing of the same message commits between this routing's read and its write
        stored.get(raced.getId()).changeStatus(MessageStatus.ROUTED, "Routes: all -> a");
        return read;
      }
    };
    racing.stored.putAll(messages.stored);
    RecordingMetrics metrics = new RecordingMetrics();
    Router router = new Router(racing, deliveries, queue, new RouteRegistry(definitions, List.of()), work);
    router.metrics = metrics;

    router.route(List.of(raced.getId(), other.getId()));

    assertThat(queue.all("a")).extracting(DeliveryTask::messageId).containsExactly(other.getId());
    assertThat(deliveries.get(raced.getId(), "a")).isNull();
    assertThat(deliveries.get(other.getId(), "a").getStatus()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(other.getStatus()).isEqualTo(MessageStatus.ROUTED);
    assertThat(metrics.all()).containsOnly(java.util.Map.entry("routed all", 1));
  }
}
