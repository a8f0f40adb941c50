package io.integrationengine.it;

import static io.integrationengine.it.MllpToFileIT.deliveries;
import static io.integrationengine.it.MllpToFileIT.onlyMessageWithControlId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An MLLP receiver that only speaks TLS (HAPI's server with the domain's certificate): an operator
 * adds a second outbound pool with {@code tlsEnabled=true} and a trust store, and names it in the
 * destination.
 */
class MllpTlsDestinationIT {

  private static final String POOL = "mllp-tls-it-pool";
  private static final String FACTORY = "eis/mllp/tls-it";
  private static final String DESTINATION = "lab-tls-it";
  private static final String ROUTE = "lab-orders-tls-it";
  private static EngineUnderTest engine;
  private static HapiContext hapi;
  private static HL7Service receiver;
  private static final Map<String, String> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void startTlsReceiverAndRouteToIt() throws Exception {
    engine = EngineUnderTest.get();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    SSLContext tls = serverContext();
    hapi = new DefaultHapiContext();
    hapi.setValidationContext(ValidationContextFactory.noValidation());
    hapi.setSocketFactory(new StandardSocketFactory() {
      @Override
      public ServerSocket createTlsServerSocket() throws IOException {
        return tls.getServerSocketFactory().createServerSocket();
      }
    });
    receiver = RecordingReceiver.start(hapi, port, true, received, null, null);

    String trustStore = engine.domainDir().resolve("config/cacerts.p12").toString();
    engine.asadmin("create-connector-connection-pool", "--raname", "integration-engine#jca-mllp-adapter",
        "--connectiondefinition", "io.integrationengine.mllp.api.MllpConnectionFactory", "--steadypoolsize", "0",
        "--isconnectvalidatereq=true", "--matchconnections=true",
        "--property", "tlsEnabled=true:trustStore=" + trustStore + ":trustStorePassword=changeit", POOL);
    engine.asadmin("create-connector-resource", "--poolname", POOL, FACTORY);
    engine.defineTogether(() -> {
      engine.addDefinition("destinations", DESTINATION,
          "type=mllp:host=127.0.0.1:port=" + port + ":connectionFactory=" + FACTORY.replace("/", "\\/") + ":initialBackoffMillis=200:maxBackoffMillis=1000");
      engine.addDefinition("routes", ROUTE, "messageTypes=OML^O21:destinations=" + DESTINATION);
    });
  }

  @AfterAll
  static void cleanUp() {
    engine.removeDefinition("routes", ROUTE);
    engine.removeDefinition("destinations", DESTINATION);
    engine.asadmin("delete-connector-resource", FACTORY);
    engine.asadmin("delete-connector-connection-pool", POOL);
    receiver.stopAndWait();
  }

  @Test
  void theOrderGoesOverTls() throws Exception {
    String message = MllpListenerIT.validMessage("OML").replace("|ADT^A01^ADT_A01|", "|OML^O21^OML_O21|");
    String controlId = MllpListenerIT.controlId(message);

    String ack = RawMllpClient.send(engine.host(), engine.mllpPort(), message.getBytes(StandardCharsets.UTF_8));
    assertThat(ack).contains("MSA|AA|" + controlId);

    await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey(controlId));
    String messageId = onlyMessageWithControlId(controlId).getString("id");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deliveries(messageId).getValuesAs(JsonObject.class)).anySatisfy(d -> {
          assertThat(d.getString("destination")).isEqualTo(DESTINATION);
          assertThat(d.getString("status")).isEqualTo("DELIVERED");
        }));
  }

  private static SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(EngineUnderTest.get().domainDir().resolve("config/keystore.p12"))) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
