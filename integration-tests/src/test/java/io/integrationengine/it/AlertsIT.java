package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alerts end to end: a real SMTP server (GreenMail) and a webhook receiver (the JDK's HTTP server),
 * both started here on free local ports; the engine's mail session {@code mail/engine} is pointed at
 * GreenMail. A silence rule and a dead-letter rule each send exactly one e-mail and one webhook
 * when their alert opens, none while it stays open, and one of each when it resolves (a message
 * ends the silence; an operator discards the dead letter through the API).
 */
class AlertsIT {

  private static final EngineUnderTest engine = EngineUnderTest.get();
  private static GreenMail smtp;
  private static HttpServer webhook;
  private static final Queue<JsonObject> hooks = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startMailAndWebhookServers() throws IOException {
    smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      hooks.add(Json.createReader(new StringReader(body)).readObject());
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    webhook.start();
    mailSession("127.0.0.1", smtp.getSmtp().getPort());
  }

  @AfterAll
  static void stopThem() {
    try {
      // back to what config/alerts.asadmin made (the IT domain uses the defaults)
      mailSession("localhost", 25);
    } finally {
      webhook.stop(0);
      smtp.stop();
    }
  }

  /** Recreates {@code mail/engine} as an operator would; the engine looks it up for every e-mail. */
  private static void mailSession(String host, int port) {
    try {
      engine.asadmin("delete-javamail-resource", "mail/engine");
    } catch (IllegalStateException e) {
      // a domain made before alerts has none
    }
    engine.asadmin("create-javamail-resource", "--mailhost", host, "--mailuser", "engine", "--fromaddress", "engine@localhost", "--property",
        "mail-smtp-port=" + port, "mail/engine");
  }

  @Test
  void aSilenceOnAChannelWithinItsHoursMailsAndCallsOnceThenResolvesWhenAMessageArrives() throws Exception {
    String rule = "silence-it";
    String mailTo = "silence-it@alerts.test";
    // the watched hours: from an hour ago to two hours ahead (in UTC, past midnight if need be)
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    String hours = now.minusHours(1).format(hhmm) + "-" + now.plusHours(2).format(hhmm);
    sendMllp("SIL");
    defineRule(rule, "type", "silence", "channel", "mllp:default", "minutes", "0.3", "hours", hours, "days", "MON-SUN", "zone", "UTC", "notify",
        "mail:" + mailTo + ",webhook:" + hookUrl(rule));
    try {
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(mailsTo(mailTo)).hasSize(1);
        assertThat(hooksOf(rule)).hasSize(1);
      });
      MimeMessage opened = mailsTo(mailTo).get(0);
      assertThat(opened.getSubject()).contains("OPEN").contains(rule);
      assertThat(opened.getContent().toString()).contains("no message on channel mllp:default for 18 s");
      JsonObject hook = hooksOf(rule).get(0);
      assertThat(hook.getString("state")).isEqualTo("open");
      assertThat(hook.getString("detail")).contains("no message on channel mllp:default");
      assertThat(hook.getString("since")).isNotBlank();
      assertThat(hook.getString("engine")).isNotBlank();
      JsonObject alert = alert(rule, "open");
      assertThat(alert.getString("id")).isEqualTo(hook.getString("alert"));

      // still silent over several checks: nothing more is sent
      await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(() -> mailsTo(mailTo).size() == 1 && hooksOf(rule).size() == 1);

      sendMllp("SIL");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(mailsTo(mailTo)).hasSize(2);
        assertThat(hooksOf(rule)).hasSize(2);
      });
      assertThat(mailsTo(mailTo).get(1).getSubject()).contains("RESOLVED");
      assertThat(hooksOf(rule).get(1).getString("state")).isEqualTo("resolved");
      assertThat(hooksOf(rule).get(1).getString("alert")).isEqualTo(alert.getString("id"));
      JsonObject resolved = alert(rule, "resolved");
      assertThat(resolved.getString("resolvedAt")).isNotBlank();
      assertThat(resolved.getJsonArray("notifications").getValuesAs(JsonObject.class)).hasSize(4)
          .allSatisfy(n -> assertThat(n.getString("sentAt", null)).as(n.toString()).isNotNull());
    } finally {
      engine.removeDefinition("alerts", rule);
    }
  }

  @Test
  void aDeadLetterMailsAndCallsOnceThenResolvesWhenAnOperatorDiscardsIt() throws Exception {
    String rule = "dead-letter-it";
    String destination = "alerts-dead-it";
    String mailTo = "dead-letter-it@alerts.test";
    // an MLLP receiver that is not there, tried once: the delivery is dead at once
    engine.define("destinations", destination, "type", "mllp", "host", "127.0.0.1", "port", String.valueOf(freePort()), "maxAttempts", "1");
    engine.define("routes", destination, "condition", "MSH-3 = ALERTDEADIT", "destinations", destination);
    defineRule(rule, "type", "deadLetter", "destination", destination, "notify", "mail:" + mailTo + ",webhook:" + hookUrl(rule));
    try {
      String controlId = sendMllp("DLA", "ALERTDEADIT");
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(mailsTo(mailTo)).hasSize(1);
        assertThat(hooksOf(rule)).hasSize(1);
      });
      assertThat(mailsTo(mailTo).get(0).getSubject()).contains("OPEN").contains(rule);
      JsonObject hook = hooksOf(rule).get(0);
      assertThat(hook.getString("state")).isEqualTo("open");
      assertThat(hook.getJsonNumber("value").doubleValue()).isEqualTo(1.0);
      assertThat(hook.getString("detail")).contains("1 dead letter on " + destination);
      assertThat(alert(rule, "open").getJsonNumber("value").doubleValue()).isEqualTo(1.0);
      await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(() -> mailsTo(mailTo).size() == 1 && hooksOf(rule).size() == 1);

      String dead = engine.get("/api/destinations/" + destination + "/dead");
      assertThat(dead).contains(destination);
      String messageId = Json.createReader(new StringReader(dead)).readArray().getJsonObject(0).getString("messageId");
      HttpResponse<String> discarded = engine.request("POST", "/api/destinations/" + destination + "/dead/discard", engine.token("operator"), "application/json",
          ("[\"" + messageId + "\"]").getBytes(StandardCharsets.UTF_8));
      assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(mailsTo(mailTo)).hasSize(2);
        assertThat(hooksOf(rule)).hasSize(2);
      });
      assertThat(mailsTo(mailTo).get(1).getSubject()).contains("RESOLVED");
      assertThat(hooksOf(rule).get(1).getString("state")).isEqualTo("resolved");
      assertThat(alert(rule, "resolved").getString("detail")).contains("no dead letters");
      assertThat(controlId).isNotBlank();
    } finally {
      engine.removeDefinition("alerts", rule);
      engine.removeDefinition("routes", destination);
      engine.removeDefinition("destinations", destination);
    }
  }

  @Test
  void anErrorRateOverAFiveMinuteWindowOpensWhenMessagesAreRejected() throws Exception {
    String rule = "error-rate-it";
    // sent (and stored: a rejected message is committed before its answer) before the rule exists, so
    // that its first check, which opens it, counts both: a check between the two sends once saw one
    for (int i = 0; i < 2; i++) {
      String answer = RawMllpClient.send(engine.host(), engine.mllpPort(), "this is not HL7".getBytes(StandardCharsets.UTF_8));
      assertThat(answer).containsPattern("MSA\\|A[ER]\\|");
    }
    sendMllp("ERR");
    // five minutes: the window's settled stretches are counted apart from its last half minute (IntakeWindowCounts)
    defineRule(rule, "type", "errorRate", "channel", "mllp:default", "windowMinutes", "5", "threshold", "0", "minMessages", "2", "notify", "webhook:" + hookUrl(rule));
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(hooksOf(rule)).isNotEmpty());
      JsonObject hook = hooksOf(rule).get(0);
      assertThat(hook.getString("state")).isEqualTo("open");
      java.util.regex.Matcher counts = java.util.regex.Pattern.compile("(\\d+) of (\\d+) messages rejected on mllp:default in the last 5 min").matcher(hook.getString("detail"));
      assertThat(counts.find()).as(hook.getString("detail")).isTrue();
      long rejected = Long.parseLong(counts.group(1));
      long received = Long.parseLong(counts.group(2));
      assertThat(rejected).as("the two just rejected, and any of earlier tests").isGreaterThanOrEqualTo(2);
      assertThat(received).as("at least those and the accepted one").isGreaterThanOrEqualTo(rejected + 1);
      assertThat(hook.getJsonNumber("value").doubleValue()).isCloseTo((double) rejected / received, org.assertj.core.data.Offset.offset(1e-6));
    } finally {
      engine.removeDefinition("alerts", rule);
    }
  }

  @Test
  void theAlertsAreForReadersAndTheRulesSayWhatIsWrong() throws Exception {
    String rule = "broken-it";
    defineRule(rule, "type", "queueDepth", "destination", "adt-files", "treshold", "10");
    try {
      JsonObject broken = Json.createReader(new StringReader(engine.get("/api/alerts/rules"))).readArray().getValuesAs(JsonObject.class).stream()
          .filter(r -> r.getString("name").equals(rule)).findFirst().orElseThrow();
      assertThat(broken.getBoolean("valid")).isFalse();
      assertThat(broken.getString("error")).contains("unknown key 'treshold'");
    } finally {
      engine.removeDefinition("alerts", rule);
    }
    assertThat(engine.request("GET", "/api/alerts", engine.token("auditor"), null, null).statusCode()).isEqualTo(200);
    assertThat(engine.request("GET", "/api/alerts?state=open", engine.token("operator"), null, null).statusCode()).isEqualTo(200);
    assertThat(engine.request("GET", "/api/alerts", null, null, null).statusCode()).isEqualTo(401);
    assertThat(engine.request("GET", "/api/alerts?state=later", engine.token("auditor"), null, null).statusCode()).isEqualTo(400);
    assertThat(PrometheusScrape.of(engine).text()).contains("engine_alerts_open");
  }

  /** Creates {@code engine/alerts/<name>} as an operator would, and waits until the engine has read it. */
  private static void defineRule(String name, String... keyValues) {
    StringBuilder properties = new StringBuilder();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (properties.length() > 0) {
        properties.append(':');
      }
      properties.append(keyValues[i]).append('=').append(keyValues[i + 1].replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\="));
    }
    engine.asadmin("create-custom-resource", "--restype", "java.util.Properties", "--factoryclass", "org.glassfish.resources.custom.factory.PropertiesFactory",
        "--property", properties.toString(), "engine/alerts/" + name);
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.get("/api/alerts/rules").contains("\"name\":\"" + name + "\""));
  }

  /** The alert of a rule in the given state, from {@code GET /api/alerts}. */
  private static JsonObject alert(String rule, String state) {
    String query = "open".equals(state) ? "?state=open" : "";
    return Json.createReader(new StringReader(engine.get("/api/alerts" + query))).readArray().getValuesAs(JsonObject.class).stream()
        .filter(a -> a.getString("rule").equals(rule) && a.getString("state").equals(state)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + state + " alert of " + rule + " in " + engine.get("/api/alerts")));
  }

  private static String sendMllp(String prefix) throws IOException {
    return sendMllp(prefix, "ITSENDER");
  }

  private static String sendMllp(String prefix, String sendingApplication) throws IOException {
    String message = MllpListenerIT.validMessage(prefix).replace("|ITSENDER|", "|" + sendingApplication + "|");
    assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|");
    return MllpListenerIT.controlId(message);
  }

  private static List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address));
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static List<JsonObject> hooksOf(String rule) {
    return hooks.stream().filter(h -> h.getString("rule").equals(rule)).toList();
  }

  private static String hookUrl(String rule) {
    return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook/" + rule;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
