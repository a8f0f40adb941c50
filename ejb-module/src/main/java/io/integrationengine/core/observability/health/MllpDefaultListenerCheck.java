package io.integrationengine.core.observability.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/** The plain MLLP listener ({@code MllpIntakeConsumer}, listener {@code default}) is bound. */
@Readiness
@ApplicationScoped
public class MllpDefaultListenerCheck extends MllpListenerCheck {

  public MllpDefaultListenerCheck() {
    super("default");
  }
}
