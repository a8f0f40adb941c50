package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpMessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
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

  @ConfigProperty(defaultValue = "2575", description = "TCP port to listen on")
  private String port = "2575";

  @ConfigProperty(defaultValue = "127.0.0.1", description = "Address to bind; 0.0.0.0 for every interface")
  private String bindAddress = "127.0.0.1";

  @ConfigProperty(defaultValue = "UTF-8", description = "Character set used to decode frames and encode ACKs")
  private String charset = "UTF-8";

  @ConfigProperty(defaultValue = "1048576", description = "Largest frame accepted, in bytes; a larger one gets an AR ACK and the connection is closed")
  private String maxFrameBytes = "1048576";

  @ConfigProperty(defaultValue = "300000", description = "A connection idle for this many milliseconds is closed")
  private String idleTimeoutMillis = "300000";

  /** The values above with placeholders resolved and types checked. */
  public ListenerSettings settings() throws InvalidPropertyException {
    String resolvedPort = PropertyPlaceholders.resolve(port);
    String resolvedCharset = PropertyPlaceholders.resolve(charset);
    try {
      Charset.forName(resolvedCharset);
    } catch (RuntimeException e) {
      throw new InvalidPropertyException("charset '" + resolvedCharset + "' is not supported");
    }
    int portNumber = integer("port", resolvedPort);
    if (portNumber < 0 || portNumber > 65535) {
      throw new InvalidPropertyException("port must be 0-65535, was " + portNumber);
    }
    return new ListenerSettings(
        PropertyPlaceholders.resolve(listenerName),
        PropertyPlaceholders.resolve(bindAddress),
        portNumber,
        resolvedCharset,
        integer("maxFrameBytes", PropertyPlaceholders.resolve(maxFrameBytes)),
        integer("idleTimeoutMillis", PropertyPlaceholders.resolve(idleTimeoutMillis)));
  }

  private static int integer(String name, String value) throws InvalidPropertyException {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidPropertyException(name + " must be a whole number, was '" + value + "'");
    }
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

  public String getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public void setMaxFrameBytes(String maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  public String getIdleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public void setIdleTimeoutMillis(String idleTimeoutMillis) {
    this.idleTimeoutMillis = idleTimeoutMillis;
  }
}
