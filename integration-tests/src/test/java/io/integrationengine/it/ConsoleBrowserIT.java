package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The operators' pages in a real headless Chromium: a stranger is sent to the identity provider; an
 * operator finds a message sent over MLLP by its control id, opens it and replays it, and the audit
 * trail shows the view and the replay; an auditor, following a link to the message while signed
 * out, lands on it after signing in, sees its content but no replay button, and the API refuses the
 * auditor's replay. Screenshots go to {@code target/screenshots} (the ones in
 * {@code docs/console.md} come from here).
 */
class ConsoleBrowserIT {

  private static final Duration PAGE = Duration.ofSeconds(30);
  private final EngineUnderTest engine = EngineUnderTest.get();
  private WebDriver browser;
  private Path profile;

  private WebDriver chromium() throws IOException {
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  @AfterEach
  void closeTheBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private String pages() {
    return "http://127.0.0.1:" + engine.httpPort() + "/admin/";
  }

  private void signIn(String user) {
    await().atMost(PAGE).until(() -> !browser.findElements(By.id("username")).isEmpty());
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(user);
    browser.findElement(By.id("kc-login")).click();
    try {
      await().atMost(PAGE).until(() -> browser.getCurrentUrl().startsWith(pages()));
      await().atMost(PAGE).until(() -> !browser.findElements(By.id("who")).isEmpty());
    } catch (ConditionTimeoutException e) {
      // what the browser shows says why (the identity provider's error, the engine's error page)
      screenshot("sign-in-failed");
      String body = browser.findElements(By.tagName("body")).stream().map(WebElement::getText).findFirst().orElse("(no body)");
      throw new AssertionError(user + " is not signed in; the browser is at " + browser.getCurrentUrl() + " showing: "
          + body.substring(0, Math.min(body.length(), 2000)), e);
    }
  }

  private void screenshot(String name) {
    Path dir = Path.of("target", "screenshots");
    try {
      Files.createDirectories(dir);
      File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String sendAnAdmission() throws IOException {
    String controlId = "WEB" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    String adt = TestData.message("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7").replace("MSG00001", controlId);
    assertThat(RawMllpClient.send(engine.host(), engine.mllpPort(), adt.getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|" + controlId);
    return controlId;
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  @Test
  void anOperatorFindsOpensAndReplaysAMessageAndTheAuditTrailShowsIt() throws IOException {
    String controlId = sendAnAdmission();
    browser = chromium();

    browser.get(pages());
    // a stranger is sent to the identity provider
    await().atMost(PAGE).until(() -> browser.getCurrentUrl().startsWith(engine.issuer()));
    screenshot("sign-in");
    signIn("operator");

    browser.findElement(By.id("controlId")).sendKeys(controlId);
    browser.findElement(By.id("find")).click();
    await().atMost(PAGE).until(() -> !browser.findElements(By.linkText(controlId)).isEmpty());
    screenshot("messages");
    browser.findElement(By.linkText(controlId)).click();
    await().atMost(PAGE).until(() -> text("title").contains(controlId) && text("deliveries").contains("DELIVERED"));
    String messageId = browser.getCurrentUrl().replaceFirst(".*id=", "");
    assertThat(text("content")).contains("MSH-10").contains("Message Control ID").contains(controlId);
    screenshot("message");

    browser.findElement(By.id("replay-all")).click();
    await().atMost(PAGE).until(() -> text("replayed").contains("Replayed to adt"));

    browser.get(pages() + "audit.html");
    await().atMost(PAGE).until(() -> !browser.findElements(By.name("subject")).isEmpty());
    browser.findElement(By.name("subject")).sendKeys(messageId);
    browser.findElement(By.name("subject")).submit();
    await().atMost(PAGE).until(() -> text("audit").contains("REPLAY") && text("audit").contains("VIEW_CONTENT"));
    assertThat(text("audit")).contains("operator");
    screenshot("audit");
  }

  @Test
  void anAuditorSeesTheMessageButNoReplayButtonAndTheApiRefusesTheReplay() throws IOException {
    String controlId = sendAnAdmission();
    String messageId = await().atMost(PAGE).until(() -> {
      try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(engine.get("/api/messages?controlId=" + controlId)))) {
        jakarta.json.JsonArray found = reader.readArray();
        return found.isEmpty() ? null : found.getJsonObject(0).getString("id");
      }
    }, id -> id != null);
    browser = chromium();

    // a link to the message opened while signed out: after signing in, the auditor lands on it
    browser.get(pages() + "message.html?id=" + messageId);
    await().atMost(PAGE).until(() -> browser.getCurrentUrl().startsWith(engine.issuer()));
    signIn("auditor");

    await().atMost(PAGE).until(browser::getCurrentUrl, org.hamcrest.Matchers.equalTo(pages() + "message.html?id=" + messageId));
    await().atMost(PAGE).until(() -> text("title").contains(controlId) && !text("deliveries").isBlank() && text("content").contains(controlId));
    assertThat(text("content")).contains("Message Control ID");
    assertThat(browser.findElements(By.cssSelector("button.action"))).isEmpty();
    assertThat(text("who")).contains("auditor");
    screenshot("message-auditor");
    assertThat(engine.request("POST", "/api/messages/" + messageId + "/replay", engine.token("auditor"), null, null).statusCode()).isEqualTo(403);
  }
}
