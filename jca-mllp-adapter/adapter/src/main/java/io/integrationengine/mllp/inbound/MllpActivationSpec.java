package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import io.integrationengine.mllp.tls.TlsSettings;
import java.nio.charset.Charset;

/**
 * The configuration of one MLLP listener, set from a message-driven bean's activation config.
 *
 * <p>Every value may name a system property as {@code ${name}} or {@code ${name:default}}, so
 * one application can listen on the port each domain configures. Properties are strings on
 * purpose: a placeholder must survive until the adapter resolves it.
 */
@Activation(messageListeners = MllpMessageListener.class)
public class MllpActivationSpec implements ActivationSpec {

  private ResourceAdapter resourceAdapter;

  @ConfigProperty(defaultValue = "mllp", description = "Name of the listener, used in logs and stored with each message")
  private String listenerName = "mllp";

  @ConfigProperty(defaultValue = "true", description = "false: the listener is not opened (e.g. a TLS listener not configured in this domain)")
  private String enabled = "true";

  @ConfigProperty(defaultValue = "2575", description = "TCP port to listen on")
  private String port = "2575";

  @ConfigProperty(defaultValue = "127.0.0.1", description = "Address to bind; 0.0.0.0 for every interface")
  private String bindAddress = "127.0.0.1";

  @ConfigProperty(defaultValue = "auto", description = "Character set for messages whose MSH-18 is empty or unknown; auto: UTF-8 when the bytes are valid UTF-8, else Windows-1252; the ACK uses the message's character set")
  private String charset = "auto";

  @ConfigProperty(defaultValue = "auto", description = "auto: enhanced acknowledgement when MSH-15 or MSH-16 is valued, else original; original; enhanced")
  private String ackMode = "auto";

  @ConfigProperty(defaultValue = "1048576", description = "Largest frame accepted, in bytes; a larger one gets an AR ACK and the connection is closed")
  private String maxFrameBytes = "1048576";

  @ConfigProperty(defaultValue = "100", description = "Connections open at once; further ones are closed on accept and logged")
  private String maxConnections = "100";

  @ConfigProperty(defaultValue = "300000", description = "A connection with no frame in progress and no data for this long is closed")
  private String idleTimeoutMillis = "300000";

  @ConfigProperty(defaultValue = "30000", description = "Time a sender has to complete a frame once started; slower senders are closed")
  private String frameReadTimeoutMillis = "30000";

  @ConfigProperty(defaultValue = "30000", description = "Time the engine has to answer a message; after it the sender gets an AR ACK")
  private String endpointTimeoutMillis = "30000";

  @ConfigProperty(defaultValue = "10000", description = "On deactivation, time messages in progress have to finish before connections are closed")
  private String shutdownGraceMillis = "10000";

  @ConfigProperty(defaultValue = "", description = "Addresses or CIDR blocks allowed to connect, comma-separated; empty allows all; refusals are logged")
  private String allowedSenders = "";

  @ConfigProperty(defaultValue = "false", description = "true: the listener speaks TLS")
  private String tlsEnabled = "false";

  @ConfigProperty(defaultValue = "", description = "TLS key store file (the listener's certificate); empty: the domain's (javax.net.ssl.keyStore)")
  private String keyStore = "";

  @ConfigProperty(defaultValue = "PKCS12", description = "Key store type")
  private String keyStoreType = "PKCS12";

  @ConfigProperty(defaultValue = "${engine.mllp.tls.keyStorePassword:changeit}", description = "Key store password; use a system property set from a password alias")
  private String keyStorePassword = "${engine.mllp.tls.keyStorePassword:changeit}";

  @ConfigProperty(defaultValue = "", description = "TLS trust store file (trusted client certificates); empty: the domain's (javax.net.ssl.trustStore)")
  private String trustStore = "";

  @ConfigProperty(defaultValue = "PKCS12", description = "Trust store type")
  private String trustStoreType = "PKCS12";

  @ConfigProperty(defaultValue = "${engine.mllp.tls.trustStorePassword:changeit}", description = "Trust store password; use a system property set from a password alias")
  private String trustStorePassword = "${engine.mllp.tls.trustStorePassword:changeit}";

  @ConfigProperty(defaultValue = "none", description = "Client certificates: none, want, or required (mutual TLS)")
  private String clientAuth = "none";

  @ConfigProperty(defaultValue = "TLSv1.3,TLSv1.2", description = "Enabled TLS protocol versions")
  private String tlsProtocols = "TLSv1.3,TLSv1.2";

  /** The values above with placeholders resolved and types checked. */
  public ListenerSettings settings() throws InvalidPropertyException {
    String resolvedCharset = value("charset", charset);
    try {
      if (!"auto".equalsIgnoreCase(resolvedCharset)) {
        Charset.forName(resolvedCharset);
      }
    } catch (RuntimeException e) {
      throw new InvalidPropertyException("charset '" + resolvedCharset + "' is not supported (or 'auto')");
    }
    int portNumber = integer("port", port);
    if (portNumber < 0 || portNumber > 65535) {
      throw new InvalidPropertyException("port must be 0-65535, was " + portNumber);
    }
    String mode = value("ackMode", ackMode).toLowerCase();
    if (!mode.equals("auto") && !mode.equals("original") && !mode.equals("enhanced")) {
      throw new InvalidPropertyException("ackMode must be auto, original or enhanced, was '" + mode + "'");
    }
    String auth = value("clientAuth", clientAuth).toLowerCase();
    if (!auth.equals("none") && !auth.equals("want") && !auth.equals("required")) {
      throw new InvalidPropertyException("clientAuth must be none, want or required, was '" + auth + "'");
    }
    SenderFilter senders;
    try {
      senders = SenderFilter.parse(value("allowedSenders", allowedSenders));
    } catch (RuntimeException e) {
      throw new InvalidPropertyException(e.getMessage());
    }
    TlsSettings tls = new TlsSettings(
        bool("tlsEnabled", tlsEnabled),
        orElse(value("keyStore", keyStore), System.getProperty("javax.net.ssl.keyStore", "")),
        value("keyStoreType", keyStoreType),
        value("keyStorePassword", keyStorePassword).toCharArray(),
        orElse(value("trustStore", trustStore), System.getProperty("javax.net.ssl.trustStore", "")),
        value("trustStoreType", trustStoreType),
        value("trustStorePassword", trustStorePassword).toCharArray(),
        auth,
        value("tlsProtocols", tlsProtocols));
    return new ListenerSettings(
        value("listenerName", listenerName),
        bool("enabled", enabled),
        value("bindAddress", bindAddress),
        portNumber,
        resolvedCharset,
        mode,
        positive("maxFrameBytes", maxFrameBytes),
        positive("maxConnections", maxConnections),
        positive("idleTimeoutMillis", idleTimeoutMillis),
        positive("frameReadTimeoutMillis", frameReadTimeoutMillis),
        positive("endpointTimeoutMillis", endpointTimeoutMillis),
        positive("shutdownGraceMillis", shutdownGraceMillis),
        senders,
        tls);
  }

  private static String value(String name, String raw) throws InvalidPropertyException {
    try {
      return PropertyPlaceholders.resolve(raw == null ? "" : raw).strip();
    } catch (IllegalArgumentException e) {
      throw new InvalidPropertyException(name + ": " + e.getMessage());
    }
  }

  private static String orElse(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }

  private static boolean bool(String name, String raw) throws InvalidPropertyException {
    String v = value(name, raw).toLowerCase();
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidPropertyException(name + " must be true or false, was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static int integer(String name, String raw) throws InvalidPropertyException {
    String v = value(name, raw);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidPropertyException(name + " must be a whole number, was '" + v + "'");
    }
  }

  private static int positive(String name, String raw) throws InvalidPropertyException {
    int v = integer(name, raw);
    if (v <= 0) {
      throw new InvalidPropertyException(name + " must be positive, was " + v);
    }
    return v;
  }

  @Override
  public void validate() throws InvalidPropertyException {
    settings();
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
    this.resourceAdapter = ra;
  }

  public String getListenerName() {
    return listenerName;
  }

  public void setListenerName(String listenerName) {
    this.listenerName = listenerName;
  }

  public String getEnabled() {
    return enabled;
  }

  public void setEnabled(String enabled) {
    this.enabled = enabled;
  }

  public String getPort() {
    return port;
  }

  public void setPort(String port) {
    this.port = port;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public void setBindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
  }

  public String getCharset() {
    return charset;
  }

  public void setCharset(String charset) {
    this.charset = charset;
  }

  public String getAckMode() {
    return ackMode;
  }

  public void setAckMode(String ackMode) {
    this.ackMode = ackMode;
  }

  public String getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public void setMaxFrameBytes(String maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  public String getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(String maxConnections) {
    this.maxConnections = maxConnections;
  }

  public String getIdleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public void setIdleTimeoutMillis(String idleTimeoutMillis) {
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  public String getFrameReadTimeoutMillis() {
    return frameReadTimeoutMillis;
  }

  public void setFrameReadTimeoutMillis(String frameReadTimeoutMillis) {
    this.frameReadTimeoutMillis = frameReadTimeoutMillis;
  }

  public String getEndpointTimeoutMillis() {
    return endpointTimeoutMillis;
  }

  public void setEndpointTimeoutMillis(String endpointTimeoutMillis) {
    this.endpointTimeoutMillis = endpointTimeoutMillis;
  }

  public String getShutdownGraceMillis() {
    return shutdownGraceMillis;
  }

  public void setShutdownGraceMillis(String shutdownGraceMillis) {
    this.shutdownGraceMillis = shutdownGraceMillis;
  }

  public String getAllowedSenders() {
    return allowedSenders;
  }

  public void setAllowedSenders(String allowedSenders) {
    this.allowedSenders = allowedSenders;
  }

  public String getTlsEnabled() {
    return tlsEnabled;
  }

  public void setTlsEnabled(String tlsEnabled) {
    this.tlsEnabled = tlsEnabled;
  }

  public String getKeyStore() {
    return keyStore;
  }

  public void setKeyStore(String keyStore) {
    this.keyStore = keyStore;
  }

  public String getKeyStoreType() {
    return keyStoreType;
  }

  public void setKeyStoreType(String keyStoreType) {
    this.keyStoreType = keyStoreType;
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

  public String getTrustStoreType() {
    return trustStoreType;
  }

  public void setTrustStoreType(String trustStoreType) {
    this.trustStoreType = trustStoreType;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  public String getClientAuth() {
    return clientAuth;
  }

  public void setClientAuth(String clientAuth) {
    this.clientAuth = clientAuth;
  }

  public String getTlsProtocols() {
    return tlsProtocols;
  }

  public void setTlsProtocols(String tlsProtocols) {
    this.tlsProtocols = tlsProtocols;
  }
}
