package io.integrationengine.mllp.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material of a listener or an outbound connection: key store (our certificate), trust store
 * (whom we trust), and for listeners whether clients must present a certificate.
 *
 * @param clientAuth {@code none}, {@code want} or {@code required} (listeners only)
 */
public record TlsSettings(
    boolean enabled, String keyStore, String keyStoreType, char[] keyStorePassword,
    String trustStore, String trustStoreType, char[] trustStorePassword, String clientAuth, String protocols) {

  public static TlsSettings disabled() {
    return new TlsSettings(false, null, null, null, null, null, null, "none", null);
  }

  /** An SSL context from the configured stores; a store left empty falls back to the JVM's default. */
  public SSLContext context() throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = null;
    if (keyStore != null && !keyStore.isBlank()) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keyStore, keyStoreType, keyStorePassword), keyStorePassword);
    }
    TrustManagerFactory trust = null;
    if (trustStore != null && !trustStore.isBlank()) {
      trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore, trustStoreType, trustStorePassword));
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
    return context;
  }

  public String[] enabledProtocols() {
    return protocols == null || protocols.isBlank() ? null : protocols.strip().split("\\s*,\\s*");
  }

  private static KeyStore load(String path, String type, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(type == null || type.isBlank() ? KeyStore.getDefaultType() : type);
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      store.load(in, password);
    }
    return store;
  }
}
