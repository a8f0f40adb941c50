package io.integrationengine.mllp.inbound;

import io.integrationengine.mllp.api.MllpListenerStatus;
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
    String address = settings.bindAddress() + ":" + settings.port();
    if (!settings.enabled()) {
      MllpListenerStatus.record(settings.listenerName(), MllpListenerStatus.State.DISABLED, address, "disabled (enabled=false)");
      LOG.info(() -> "MLLP listener '" + settings.listenerName() + "' is disabled (enabled=false); not listening");
      return;
    }
    MllpListener listener = new MllpListener(settings, factory, workManager);
    try {
      listener.bind();
      workManager.scheduleWork(listener, WorkManager.INDEFINITE, null, null);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      String reason = "cannot listen on " + address + ": " + e.getMessage();
      MllpListenerStatus.record(settings.listenerName(), MllpListenerStatus.State.FAILED, address, reason);
      throw new ResourceAdapterInternalException("MLLP listener '" + settings.listenerName() + "' " + reason, e);
    } catch (WorkException e) {
      listener.release();
      MllpListenerStatus.record(settings.listenerName(), MllpListenerStatus.State.FAILED, address, "could not be scheduled: " + e.getMessage());
      throw new ResourceAdapterInternalException("MLLP listener '" + settings.listenerName() + "' could not be scheduled", e);
    }
    listeners.put(new ActivationKey(factory, spec), listener);
    MllpListenerStatus.record(settings.listenerName(), MllpListenerStatus.State.LISTENING, settings.bindAddress() + ":" + listener.localPort(), null);
    LOG.info(() -> "MLLP listener '" + settings.listenerName() + "' listening on " + settings.bindAddress() + ":" + listener.localPort()
        + (settings.tls().enabled() ? " (TLS, client certificates " + settings.tls().clientAuth() + ")" : "")
        + ", allowed senders: " + settings.allowedSenders());
  }

  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    MllpListener listener = listeners.remove(new ActivationKey(factory, spec));
    if (listener != null) {
      listener.release();
      MllpListenerStatus.record(listener.name(), MllpListenerStatus.State.STOPPED, null, "deactivated (application stopping or undeployed)");
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
