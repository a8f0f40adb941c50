package io.integrationengine.core.observability.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/** The TLS MLLP listener ({@code MllpTlsIntakeConsumer}, listener {@code tls}) is bound, or switched off. */
@Readiness
@ApplicationScoped
public class MllpTlsListenerCheck extends MllpListenerCheck {

  public MllpTlsListenerCheck() {
    super("tls");
  }
}
