package io.integrationengine.mllp.inbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The MLLP resource adapter: each message-driven bean activation opens one TCP listener, whose
 * accept loop and connections run as {@code Work} on the server's WorkManager; outbound, pooled
 * connections to receivers (see {@code MllpManagedConnectionFactory}).
 */
@Connector(
    displayName = "MLLP Resource Adapter",
    description = "HL7v2 over MLLP: inbound listeners delivering to message-driven beans; outbound connection factory",
    vendorName = "integration-engine",
    eisType = "HL7v2/MLLP",
    version = "0.1",
    transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public class MllpResourceAdapter implements jakarta.resource.spi.ResourceAdapter {

  private static final Logger LOG = Logger.getLogger(MllpResourceAdapter.class.getName());

  private final Map<ActivationKey, MllpListener> listeners = new ConcurrentHashMap<>();
  private WorkManager workManager;

  @Override
  public void start(BootstrapContext context) throws ResourceAdapterInternalException {
    this.workManager = context.getWorkManager();
    LOG.info("MLLP resource adapter started");
  }

  @Override
  public void stop() {
    listeners.values().forEach(MllpListener::release);
    listeners.clear();
    LOG.info("MLLP resource adapter stopped");
  }

  @Override
  public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
    if (!(spec instanceof MllpActivationSpec mllpSpec)) {
      throw new NotSupportedException("not an MLLP activation: " + spec);
    }
    ListenerSettings settings = mllpSpec.settings();
    if (!settings.enabled()) {
      LOG.info(() -> "MLLP listener '" + settings.listenerName() + "' is disabled (enabled=false); not listening");
      return;
    }
    MllpListener listener = new MllpListener(settings, factory, workManager);
    try {
      listener.bind();
      workManager.scheduleWork(listener, WorkManager.INDEFINITE, null, null);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new ResourceAdapterInternalException(
          "MLLP listener '" + settings.listenerName() + "' cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": " + e.getMessage(), e);
    } catch (WorkException e) {
      listener.release();
      throw new ResourceAdapterInternalException("MLLP listener '" + settings.listenerName() + "' could not be scheduled", e);
    }
    listeners.put(new ActivationKey(factory, spec), listener);
    LOG.info(() -> "MLLP listener '" + settings.listenerName() + "' listening on " + settings.bindAddress() + ":" + listener.localPort()
        + (settings.tls().enabled() ? " (TLS, client certificates " + settings.tls().clientAuth() + ")" : "")
        + ", allowed senders: " + settings.allowedSenders());
  }

  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    MllpListener listener = listeners.remove(new ActivationKey(factory, spec));
    if (listener != null) {
      listener.release();
      LOG.log(Level.INFO, "MLLP listener ''{0}'' stopped", listener.name());
    }
  }

  @Override
  public XAResource[] getXAResources(ActivationSpec[] specs) {
    return new XAResource[0];
  }

  /** Identity of an activation: the pair of factory and spec the container hands us twice. */
  private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {}

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
