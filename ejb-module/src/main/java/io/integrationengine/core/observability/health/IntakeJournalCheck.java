package io.integrationengine.core.observability.health;

import io.integrationengine.services.input.JournaledIntake;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: MLLP intake's journal on H2 ({@link JournaledIntake}): how many acknowledged messages
 * wait to be stored (data {@code backlog}, {@code limit}); down while the backlog is full, when
 * new MLLP messages are refused because the store is not keeping up. Up with {@code state: off}
 * where the journal is not used (PostgreSQL, or {@code engine.intake.journal=off}).
 */
@Readiness
@ApplicationScoped
public class IntakeJournalCheck implements HealthCheck {

  @Inject
  JournaledIntake journal;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("intake-journal");
    if (!journal.active()) {
      return response.up().withData("state", "off").build();
    }
    int backlog = journal.waitingToBeStored();
    int limit = journal.backlogLimit();
    response.withData("state", "on").withData("backlog", backlog).withData("limit", limit);
    return backlog < limit ? response.up().build()
        : response.down().withData("reason", backlog + " acknowledged MLLP messages wait to be stored: the message store is not keeping up, and new MLLP messages are refused (AR) until it does").build();
  }
}
