package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The REST API takes bearer tokens from the engine's Keycloak: none is 401, a token without the
 * role 403. Readers (auditor, operator, admin) read; senders (engine-sender's client credentials)
 * post to the convert endpoints and the FHIR intake, and read nothing.
 */
class ApiSecurityIT {

  private static final String ER7 = "x-application/hl7-v2+er7; charset=UTF-8";
  private final EngineUnderTest engine = EngineUnderTest.get();

  private int get(String path, String token) {
    return engine.request("GET", path, token, null, null).statusCode();
  }

  private HttpResponse<String> convert(String token) {
    return engine.request("POST", "/api/convert/hl7v2-to-fhir", token, ER7, TestData.bytes("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));
  }

  @Test
  void withoutATokenTheApiAnswers401() {
    assertThat(get("/api/messages", null)).isEqualTo(401);
    assertThat(get("/api/routes", null)).isEqualTo(401);
    assertThat(convert(null).statusCode()).isEqualTo(401);
    assertThat(engine.request("POST", "/api/fhir/Patient", null, "application/fhir+json", "{\"resourceType\":\"Patient\"}".getBytes()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aForgedOrTamperedTokenIs401() {
    String token = engine.token("auditor");
    String[] parts = token.split("\\.");
    // the same signature over a payload claiming the admin role
    String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"auditor\"", "\"admin\"").getBytes()) + "." + parts[2];

    assertThat(get("/api/messages", forged)).isEqualTo(401);
    assertThat(get("/api/messages", "not-a-token")).isEqualTo(401);
  }

  @Test
  void everyUserRoleReads() {
    for (String user : new String[] {"auditor", "operator", "admin"}) {
      assertThat(get("/api/messages?limit=1", engine.token(user))).as(user).isEqualTo(200);
      assertThat(get("/api/destinations", engine.token(user))).as(user).isEqualTo(200);
    }
  }

  @Test
  void aSenderPostsButReadsNothing() {
    String sender = engine.senderToken();

    assertThat(convert(sender).statusCode()).isEqualTo(200);
    assertThat(get("/api/messages", sender)).isEqualTo(403);
    assertThat(get("/api/routes", sender)).isEqualTo(403);
  }

  @Test
  void anAuditorMayNotConvertOrPost() {
    String auditor = engine.token("auditor");

    assertThat(convert(auditor).statusCode()).isEqualTo(403);
    assertThat(engine.request("POST", "/api/fhir/Patient", auditor, "application/fhir+json", "{\"resourceType\":\"Patient\"}".getBytes()).statusCode())
        .isEqualTo(403);
  }

  @Test
  void operatorsAndAdminsConvert() {
    assertThat(convert(engine.token("operator")).statusCode()).isEqualTo(200);
    assertThat(convert(engine.token("admin")).statusCode()).isEqualTo(200);
  }
}
