package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the operators' console does through the API, with each role's token: search (a text in any
 * case; a text of two characters only with another filter), content views
 * (audited), replay (operators and admins only, audited), the audit trail and its CSV export.
 */
class ConsoleApiIT {

  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final EngineUnderTest engine = EngineUnderTest.get();
  private static String controlId;
  private static String messageId;

  /** The sample ADT with a control id of its own, sent over MLLP and delivered to the demo destination. */
  @BeforeAll
  static void sendAnAdmission() throws Exception {
    controlId = "CON" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String adt = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").replace("MSG00001", controlId);
    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), adt.replace("\r\n", "\r").replace('\n', '\r').getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);
    messageId = await().atMost(DELIVERY).until(() -> {
      JsonArray found = json(as("operator", "/api/messages?controlId=" + controlId)).asJsonArray();
      return found.isEmpty() ? null : found.getJsonObject(0).getString("id");
    }, id -> id != null);
    await().atMost(DELIVERY).until(() -> deliveryStatus("adt-files"), "DELIVERED"::equals);
  }

  private static String as(String user, String path) {
    HttpResponse<String> r = engine.request("GET", path, engine.token(user), null, null);
    assertThat(r.statusCode()).as("GET %s as %s: %s", path, user, r.body()).isEqualTo(200);
    return r.body();
  }

  private static jakarta.json.JsonValue json(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readValue();
    }
  }

  private static JsonObject delivery(String destination) {
    for (JsonObject d : json(as("admin", "/api/messages/" + messageId)).asJsonObject().getJsonArray("deliveries").getValuesAs(JsonObject.class)) {
      if (d.getString("destination").equals(destination)) {
        return d;
      }
    }
    return null;
  }

  private static String deliveryStatus(String destination) {
    JsonObject d = delivery(destination);
    return d == null ? null : d.getString("status");
  }

  private static HttpResponse<String> replay(String token) {
    return engine.request("POST", "/api/messages/" + messageId + "/replay", token, null, null);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void theBrowserFindsTheMessageByEachFilter() {
    for (String query : new String[] {"controlId=" + controlId, "text=" + controlId.substring(3, 12), "type=ADT&controlId=" + controlId,
        "type=" + q("ADT^A01") + "&text=" + controlId, "patient=PATID1234&text=" + controlId, "patient=" + q("everyman") + "&text=" + controlId,
        "sender=ADTApp&text=" + controlId, "channel=" + q("mllp:default") + "&text=" + controlId, "status=ROUTED&text=" + controlId,
        "from=2020-01-01&to=2999-12-31&text=" + controlId}) {
      JsonArray found = json(as("auditor", "/api/messages?" + query)).asJsonArray();
      assertThat(found).as(query).extracting(v -> v.asJsonObject().getString("id")).containsExactly(messageId);
    }
    assertThat(json(as("auditor", "/api/messages?type=ORU&text=" + controlId)).asJsonArray()).isEmpty();
    assertThat(json(as("auditor", "/api/messages?from=2999-01-01&text=" + controlId)).asJsonArray()).isEmpty();
  }

  @Test
  void aTextIsFoundWhateverItsCase() {
    // the control id with each letter's case swapped (CON0a1b... -> con0A1B...), and the patient's name, found among the attributes
    StringBuilder swapped = new StringBuilder();
    controlId.chars().forEach(c -> swapped.append((char) (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))));
    for (String query : new String[] {"text=" + q(swapped.toString()), "controlId=" + controlId + "&text=" + q("eVERyman^adam")}) {
      JsonArray found = json(as("auditor", "/api/messages?" + query)).asJsonArray();
      assertThat(found).as(query).extracting(v -> v.asJsonObject().getString("id")).containsExactly(messageId);
    }
  }

  @Test
  void aTextOfTwoCharactersNeedsAnotherFilter() {
    HttpResponse<String> alone = engine.request("GET", "/api/messages?text=Q7", engine.token("auditor"), null, null);

    assertThat(alone.statusCode()).isEqualTo(400);
    assertThat(alone.body()).contains("text needs at least 3 characters, or another filter");
    JsonArray found = json(as("auditor", "/api/messages?controlId=" + controlId + "&text=" + q(controlId.substring(3, 5)))).asJsonArray();
    assertThat(found).extracting(v -> v.asJsonObject().getString("id")).containsExactly(messageId);
  }

  @Test
  void anAuditorSeesTheContentAndTheViewIsAudited() {
    JsonObject detail = json(as("auditor", "/api/messages/" + messageId)).asJsonObject();

    assertThat(detail.getString("content")).contains(controlId);
    JsonArray audit = json(as("auditor", "/api/audit?actor=auditor&action=VIEW_CONTENT&subject=" + messageId)).asJsonArray();
    assertThat(audit).isNotEmpty();
    assertThat(audit.getJsonObject(0).getString("source")).isEqualTo("127.0.0.1");
  }

  @Test
  void onlyOperatorsAndAdminsReplay() {
    assertThat(replay(null).statusCode()).isEqualTo(401);
    assertThat(replay(engine.token("auditor")).statusCode()).isEqualTo(403);
    assertThat(replay(engine.senderToken()).statusCode()).isEqualTo(403);
    assertThat(json(as("admin", "/api/audit?action=REPLAY&actor=auditor&subject=" + messageId)).asJsonArray()).isEmpty();
  }

  @Test
  void anOperatorReplaysAMessageAndItIsDeliveredAgainAndAudited() {
    String before = delivery("adt-files").getString("updatedAt");

    HttpResponse<String> replayed = replay(engine.token("operator"));

    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
    assertThat(json(replayed.body()).asJsonObject().getJsonArray("replayed").getString(0)).isEqualTo("adt-files");
    await().atMost(DELIVERY).until(() -> {
      JsonObject d = delivery("adt-files");
      return "DELIVERED".equals(d.getString("status")) && !before.equals(d.getString("updatedAt"));
    });
    JsonArray audit = json(as("auditor", "/api/audit?action=REPLAY&subject=" + messageId)).asJsonArray();
    assertThat(audit).extracting(v -> v.asJsonObject().getString("actor")).contains("operator");
    String csv = as("auditor", "/api/audit?format=csv&subject=" + messageId);
    assertThat(csv).startsWith("at,actor,action,subject,detail,source\r\n").contains(",operator,REPLAY," + messageId + ",");
  }

  @Test
  void replayingToADestinationTheMessageNeverWentToIsAConflict() {
    HttpResponse<String> r = engine.request("POST", "/api/messages/" + messageId + "/replay?destination=nowhere", engine.token("admin"), null, null);
    assertThat(r.statusCode()).isEqualTo(409);
  }

  @Test
  void deadLettersAreListedForReadersAndActedOnByOperators() {
    assertThat(engine.request("GET", "/api/destinations/adt-files/dead", engine.token("auditor"), null, null).statusCode()).isEqualTo(200);
    assertThat(engine.request("POST", "/api/destinations/adt-files/dead/discard", engine.token("auditor"), "application/json", "[]".getBytes()).statusCode())
        .isEqualTo(403);
    HttpResponse<String> none = engine.request("POST", "/api/destinations/adt-files/dead/replay", engine.token("operator"), "application/json",
        ("[\"" + UUID.randomUUID() + "\"]").getBytes());
    assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
    assertThat(json(none.body()).asJsonObject().getJsonArray("replayed")).isEmpty();
  }
}
