package io.integrationengine.mllp.outbound;

import io.integrationengine.mllp.api.MllpConnection;
import io.integrationengine.mllp.api.MllpConnectionFactory;
import io.integrationengine.mllp.tls.TlsSettings;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * The outbound side of the adapter: a pool of MLLP connections (a Payara connector connection
 * pool), keyed by receiver, with the timeouts and TLS settings below as pool properties, tunable in
 * the admin console.
 */
@ConnectionDefinition(
    connectionFactory = MllpConnectionFactory.class,
    connectionFactoryImpl = MllpConnectionFactoryImpl.class,
    connection = MllpConnection.class,
    connectionImpl = MllpConnectionHandle.class)
public class MllpManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation, ValidatingManagedConnectionFactory {

  private static final long serialVersionUID = 1L;

  @ConfigProperty(defaultValue = "5000", description = "Time allowed to open a connection (and finish the TLS handshake), ms")
  private Integer connectTimeoutMillis = 5000;

  @ConfigProperty(defaultValue = "30000", description = "Time allowed for the ACK after a message is sent, ms")
  private Integer responseTimeoutMillis = 30000;

  @ConfigProperty(defaultValue = "UTF-8", description = "Character set of messages and ACKs")
  private String charset = "UTF-8";

  @ConfigProperty(defaultValue = "1048576", description = "Largest ACK accepted, bytes")
  private Integer maxFrameBytes = 1048576;

  @ConfigProperty(defaultValue = "true", description = "TCP keep-alive on pooled connections")
  private Boolean keepAlive = true;

  @ConfigProperty(defaultValue = "false", description = "true: connect with TLS")
  private Boolean tlsEnabled = false;

  @ConfigProperty(defaultValue = "", description = "Key store with our client certificate (mutual TLS); empty: none")
  private String keyStore = "";

  @ConfigProperty(defaultValue = "", description = "Key store password")
  private String keyStorePassword = "";

  @ConfigProperty(defaultValue = "", description = "Trust store with the receivers' certificates; empty: the JVM's")
  private String trustStore = "";

  @ConfigProperty(defaultValue = "", description = "Trust store password")
  private String trustStorePassword = "";

  @ConfigProperty(defaultValue = "PKCS12", description = "Type of both stores")
  private String storeType = "PKCS12";

  private transient ResourceAdapter resourceAdapter;
  private transient PrintWriter logWriter;

  @Override
  public Object createConnectionFactory(ConnectionManager manager) {
    return new MllpConnectionFactoryImpl(this, manager);
  }

  @Override
  public Object createConnectionFactory() throws ResourceException {
    throw new jakarta.resource.NotSupportedException("MLLP connections are available inside the application server only");
  }

  @Override
  public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
    if (!(info instanceof Receiver receiver)) {
      throw new ResourceException("An MLLP connection needs a receiver (host and port)");
    }
    return new MllpManagedConnection(this, receiver);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
    for (Object candidate : candidates) {
      if (candidate instanceof MllpManagedConnection connection && connection.receiver().equals(info) && connection.usable()) {
        return connection;
      }
    }
    return null;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Set getInvalidConnections(Set connections) {
    Set invalid = new HashSet();
    for (Object candidate : connections) {
      if (candidate instanceof MllpManagedConnection connection && !connection.usable()) {
        invalid.add(connection);
      }
    }
    return invalid;
  }

  TlsSettings tls() {
    return new TlsSettings(Boolean.TRUE.equals(tlsEnabled), keyStore, storeType, keyStorePassword.toCharArray(), trustStore, storeType,
        trustStorePassword.toCharArray(), "none", null);
  }

  Charset charsetValue() {
    return Charset.forName(charset);
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter ra) {
    this.resourceAdapter = ra;
  }

  public Integer getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  public Integer getResponseTimeoutMillis() {
    return responseTimeoutMillis;
  }

  public void setResponseTimeoutMillis(Integer responseTimeoutMillis) {
    this.responseTimeoutMillis = responseTimeoutMillis;
  }

  public String getCharset() {
    return charset;
  }

  public void setCharset(String charset) {
    this.charset = charset;
  }

  public Integer getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public void setMaxFrameBytes(Integer maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  public Boolean getKeepAlive() {
    return keepAlive;
  }

  public void setKeepAlive(Boolean keepAlive) {
    this.keepAlive = keepAlive;
  }

  public Boolean getTlsEnabled() {
    return tlsEnabled;
  }

  public void setTlsEnabled(Boolean tlsEnabled) {
    this.tlsEnabled = tlsEnabled;
  }

  public String getKeyStore() {
    return keyStore;
  }

  public void setKeyStore(String keyStore) {
    this.keyStore = keyStore;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  public void setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
  }

  public String getTrustStore() {
    return trustStore;
  }

  public void setTrustStore(String trustStore) {
    this.trustStore = trustStore;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  public String getStoreType() {
    return storeType;
  }

  public void setStoreType(String storeType) {
    this.storeType = storeType;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof MllpManagedConnectionFactory that)) {
      return false;
    }
    return Objects.equals(connectTimeoutMillis, that.connectTimeoutMillis) && Objects.equals(responseTimeoutMillis, that.responseTimeoutMillis)
        && Objects.equals(charset, that.charset) && Objects.equals(maxFrameBytes, that.maxFrameBytes) && Objects.equals(keepAlive, that.keepAlive)
        && Objects.equals(tlsEnabled, that.tlsEnabled) && Objects.equals(keyStore, that.keyStore) && Objects.equals(trustStore, that.trustStore)
        && Objects.equals(storeType, that.storeType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connectTimeoutMillis, responseTimeoutMillis, charset, maxFrameBytes, keepAlive, tlsEnabled, keyStore, trustStore, storeType);
  }
}
