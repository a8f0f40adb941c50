package io.integrationengine.it;

import static io.integrationengine.it.MllpListenerIT.controlId;
import static io.integrationengine.it.MllpListenerIT.readFrame;
import static io.integrationengine.it.MllpListenerIT.validMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The TLS listener of the build's engine: mutual TLS (client certificates required) with the
 * domain's own key store and trust store, open to 127.0.0.1 only. A client holding a certificate the
 * domain trusts gets through; one without a certificate, one that does not trust the engine, and
 * one from another address do not.
 */
class MllpTlsIT {

  private static final char[] PASSWORD = "changeit".toCharArray();
  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void aClientWithATrustedCertificateIsServed() throws Exception {
    SSLContext context = context(store("keystore.p12"), store("cacerts.p12"));
    String message = validMessage("TLS");
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(engine.host(), engine.tlsPort())) {
      socket.setSoTimeout(30_000);
      String ack = exchange(socket, message);
      assertThat(ack).contains("MSA|AA|" + controlId(message));
    }
    String channel = MllpToFileIT.onlyMessageWithControlId(controlId(message)).getString("channel");
    assertThat(channel).startsWith("mllp:tls (").contains("CN=");
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    SSLContext context = context(null, store("cacerts.p12"));
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(engine.host(), engine.tlsPort())) {
      socket.setSoTimeout(30_000);
      assertRefused(socket);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheEngineCannotConnect() throws Exception {
    // the JDK's default trust: public CAs only, not the domain's self-signed certificate
    SSLContext context = context(store("keystore.p12"), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(engine.host(), engine.tlsPort())) {
      socket.setSoTimeout(30_000);
      assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void aSenderNotOnTheAllowedListIsRefused() throws Exception {
    SSLContext context = context(store("keystore.p12"), store("cacerts.p12"));
    // Linux routes all of 127.0.0.0/8 to loopback: connect from 127.0.0.2, which the listener does not allow
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    plain.connect(new InetSocketAddress(engine.host(), engine.tlsPort()), 10_000);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, engine.host(), engine.tlsPort(), true)) {
      socket.setSoTimeout(30_000);
      assertRefused(socket);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    SSLContext context = context(store("keystore.p12"), store("cacerts.p12"));
    List<SSLSocket> open = new ArrayList<>();
    int served = 0;
    try {
      for (int i = 0; i < 8; i++) {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(engine.host(), engine.tlsPort());
        socket.setSoTimeout(30_000);
        open.add(socket);
        String answer;
        try {
          answer = exchange(socket, validMessage("MAX"));
        } catch (IOException refused) {
          answer = null;
        }
        if (answer != null && answer.contains("MSA|AA|")) {
          served++;
        }
      }
    } finally {
      for (SSLSocket socket : open) {
        socket.close();
      }
    }
    // the TLS listener of the build's engine allows 5 connections at a time (engine.mllp.tls.maxConnections)
    assertThat(served).isEqualTo(5);
  }

  private static void assertRefused(SSLSocket socket) {
    String answer;
    try {
      answer = exchange(socket, validMessage("NOPE"));
    } catch (IOException e) {
      return;
    }
    assertThat(answer).as("no answer on a refused connection").isNull();
  }

  private static String exchange(SSLSocket socket, String message) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(0x0B);
    out.write(message.getBytes(StandardCharsets.UTF_8));
    out.write(new byte[] {0x1C, 0x0D});
    out.flush();
    InputStream in = socket.getInputStream();
    return readFrame(in);
  }

  private KeyStore store(String name) throws Exception {
    Path file = engine.domainDir().resolve("config").resolve(name);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
    KeyManagerFactory kmf = null;
    if (keys != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
