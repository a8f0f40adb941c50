package io.integrationengine.services.input;

import io.integrationengine.fakes.RecordingMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.fakes.InMemoryDuplicateGuard;
import io.integrationengine.fakes.InMemoryMessageRepository;
import io.integrationengine.fakes.MapDefinitionSource;
import io.integrationengine.fakes.RecordingStageQueue;
import io.integrationengine.fakes.TrackingUnitOfWork;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class Hl7v2IntakeTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
  private final RecordingStageQueue stages = new RecordingStageQueue();
  private final MapDefinitionSource definitions = new MapDefinitionSource();

  private Hl7v2Intake intake() {
    Path testdata;
    try {
      testdata = Path.of(Hl7v2IntakeTest.class.getResource("/testdata").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new Hl7v2Intake(new Hl7Reader(), new InMemoryDuplicateGuard(), new ChannelRegistry(definitions, testdata),
        new MessageIntake(messages, stages, new TrackingUnitOfWork()));
  }

  private static Received received(byte[] bytes, Charset charset) {
    return new Received(bytes, charset, "mllp-default", "mllp:default", "127.0.0.1:5000", "auto");
  }

  @Test
  void storesTheBytesAsSentAndAcknowledgesAfterQueueing() {
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C1|P|2.5\nPID|1||42^^^HOSP^MR||M\u00fcller\u2019s^Ren\u00e9||19700101|F\n".getBytes(WINDOWS_1252);

    IntakeResult result = intake().receive(received(bytes, WINDOWS_1252));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.ACCEPTED);
    assertThat(result.reply()).contains("MSA|AA|C1");
    StoredMessage stored = messages.stored.get(result.messageId());
    assertThat(stored.getContent()).isEqualTo(bytes);
    assertThat(stored.getContentType()).isEqualTo(ContentType.HL7V2_ER7);
    assertThat(stored.getCharset()).isEqualTo("windows-1252");
    assertThat(stored.getMessageType()).isEqualTo("ADT^A08");
    assertThat(stored.attribute("patientName")).containsExactly("M\u00fcller\u2019s^Ren\u00e9");
    assertThat(stored.attribute("patientIdentifier")).containsExactly("42^^^HOSP");
    assertThat(stages.toRouting).containsExactly(result.messageId());
  }

  @Test
  void aResendIsAcknowledgedAndNotStoredTwice() {
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C2|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);
    Hl7v2Intake intake = intake();

    IntakeResult first = intake.receive(received(bytes, StandardCharsets.UTF_8));
    IntakeResult second = intake.receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(second.outcome()).isEqualTo(IntakeResult.Outcome.DUPLICATE);
    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.reply()).contains("MSA|AA|C2");
    assertThat(messages.stored).hasSize(1);
  }

  @Test
  void unreadableInputIsStoredAsRejectedAndAnsweredAeSayingWhy() {
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C3|P|2.5\rthis is not a segment\r".getBytes(StandardCharsets.US_ASCII);

    IntakeResult result = intake().receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.INVALID);
    assertThat(result.reply()).contains("MSA|AE|C3").contains("\rERR|");
    StoredMessage stored = messages.stored.get(result.messageId());
    assertThat(stored.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(stored.getStatusDetail()).contains("Segment 2");
    assertThat(stored.getContent()).isEqualTo(bytes);
    assertThat(stages.toRouting).isEmpty();
  }

  @Test
  void aMessageBreakingTheChannelsProfileIsRejectedWithEveryReason() {
    definitions.define("channels", "mllp-default", "profiles", "hl7v2/hapi-hl7v2/profiles/ADT_A31_profile.xml");
    byte[] bytes = ("MSH|^~\\&|PROFILEIT||EHR|3910|20261127120000||ADT^A31|C4|P|2.4\rEVN|A31|20261127120000\rPID|1||12345^^^HOSP^MR\rPV1|1|N\r")
        .getBytes(StandardCharsets.US_ASCII);

    IntakeResult result = intake().receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.INVALID);
    assertThat(result.reasons()).isNotEmpty();
    assertThat(result.reply()).contains("MSA|AE|C4").contains("\rERR|").containsIgnoringCase("MSH-4");
    StoredMessage stored = messages.stored.get(result.messageId());
    assertThat(stored.getStatus()).isEqualTo(MessageStatus.REJECTED);
    assertThat(stored.getStatusDetail()).startsWith("Conformance profile violated: ADT_A31_profile.xml");
    assertThat(stages.toRouting).isEmpty();
  }

  @Test
  void aMisconfiguredChannelRefusesRatherThanLettingMessagesInUnchecked() {
    definitions.define("channels", "mllp-default", "profiles", "no/such/profile.xml");
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C5|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);

    IntakeResult result = intake().receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.FAILED);
    assertThat(result.reply()).contains("MSA|AR|C5").contains("misconfigured");
    assertThat(messages.stored).isEmpty();
  }

  @Test
  void whenTheStoreFailsTheSenderIsToldToResendAndTheResendIsTaken() {
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C6|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);
    Hl7v2Intake intake = intake();
    messages.down = true;

    IntakeResult failed = intake.receive(received(bytes, StandardCharsets.UTF_8));
    messages.down = false;
    IntakeResult resent = intake.receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(failed.outcome()).isEqualTo(IntakeResult.Outcome.FAILED);
    assertThat(failed.reply()).contains("MSA|AR|C6").contains("resend later");
    assertThat(resent.outcome()).isEqualTo(IntakeResult.Outcome.ACCEPTED);
    assertThat(messages.stored).containsOnlyKeys(resent.messageId());
    assertThat(stages.toRouting).containsExactly(resent.messageId());
  }

  @Test
  void aMessageStoredWhileTheBrokerIsAwayIsAcknowledgedAndLeftToRecovery() {
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C8|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);
    stages.down = true;

    IntakeResult result = intake().receive(received(bytes, StandardCharsets.UTF_8));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.ACCEPTED);
    assertThat(result.reply()).contains("MSA|AA|C8");
    assertThat(messages.stored.get(result.messageId()).getStatus()).isEqualTo(MessageStatus.RECEIVED);
    assertThat(stages.toRouting).isEmpty();
  }

  @Test
  void theMessageIsHandedToRoutingOnlyAfterItsStoringCommitted() {
    TrackingUnitOfWork work = new TrackingUnitOfWork();
    RecordingStageQueue afterCommit = new RecordingStageQueue() {
      @Override
      public void toRouting(List<String> messageIds) {
        assertThat(work.inTransaction()).as("handed on inside the storing transaction").isFalse();
        super.toRouting(messageIds);
      }
    };
    MessageIntake intake = new MessageIntake(messages, afterCommit, work);
    StoredMessage message = StoredMessage.received(new byte[] {'M'}, ContentType.BINARY, null, "test", null);

    intake.accept(message);

    assertThat(afterCommit.toRouting).containsExactly(message.getId());
    assertThat(work.committed).isEqualTo(1);
  }

  @Test
  void aVeryLongChannelNameNeverMakesAMessageUnstorable() {
    String channel = "mllp:tls (CN=" + "x".repeat(3000) + ")";
    byte[] bytes = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C7|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);

    IntakeResult result = intake().receive(new Received(bytes, StandardCharsets.UTF_8, "mllp-tls", channel, "127.0.0.1:1", "auto"));

    assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.ACCEPTED);
    assertThat(messages.stored.get(result.messageId()).getChannel()).hasSizeLessThanOrEqualTo(1000).startsWith("mllp:tls (CN=xxx");
  }

  @Test
  void everyMessageIsCountedAsReceivedAndThenAsDuplicateOrRejectedWithItsReason() {
    RecordingMetrics metrics = new RecordingMetrics();
    Hl7v2Intake intake = intake();
    intake.metrics = metrics;
    byte[] good = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C7|P|2.5\rPID|1\r".getBytes(StandardCharsets.US_ASCII);
    byte[] bad = "MSH|^~\\&|LAB|HOSP|EHR|WARD|20240101||ADT^A08|C8|P|2.5\rthis is not a segment\r".getBytes(StandardCharsets.US_ASCII);

    intake.receive(received(good, StandardCharsets.UTF_8));
    intake.receive(received(good, StandardCharsets.UTF_8));
    intake.receive(received(bad, StandardCharsets.UTF_8));

    assertThat(metrics.all()).containsOnly(
        java.util.Map.entry("received mllp-default", 3), java.util.Map.entry("duplicate mllp-default", 1), java.util.Map.entry("rejected mllp-default unreadable", 1));
    assertThat(metrics.answered).isEqualTo(3);
  }
}
