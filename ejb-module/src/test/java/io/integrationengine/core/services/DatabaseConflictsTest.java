package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseConflictsTest {

  /** What a deadlock victim's commit looks like from an EJB caller: the database's exception deep in the causes. */
  private static RuntimeException rolledBack(SQLException cause) {
    RollbackException rollback = new RollbackException("Transaction marked for rollback");
    rollback.initCause(new PersistenceException("Exception [EclipseLink-4002]", cause));
    return new EJBTransactionRolledbackException("Transaction aborted", rollback);
  }

  @Test
  void recognisesDeadlockVictimsOfH2AndPostgresqlWhereverTheyAreInTheCauses() {
    assertThat(DatabaseConflicts.isConflict(rolledBack(new SQLTransactionRollbackException("Deadlock detected", "40001")))).isTrue();
    assertThat(DatabaseConflicts.isConflict(rolledBack(new SQLException("deadlock detected", "40P01")))).isTrue();
    assertThat(DatabaseConflicts.isConflict(rolledBack(new SQLException("could not serialize access", "40001")))).isTrue();
  }

  @Test
  void recognisesAVictimInAJdbcBatchsNextException() {
    SQLException batch = new BatchUpdateException("Batch entry 0 update ENGINE_DELIVERY ... was aborted", "Y0000", new int[0]);
    batch.setNextException(new SQLException("deadlock detected", "40P01"));
    assertThat(DatabaseConflicts.isConflict(new PersistenceException("could not record 2 delivery outcome(s)", batch))).isTrue();
  }

  @Test
  void otherFailuresAreNotConflicts() {
    assertThat(DatabaseConflicts.isConflict(rolledBack(new SQLException("Connection refused", "08001")))).isFalse();
    assertThat(DatabaseConflicts.isConflict(rolledBack(new SQLException("unique constraint violated", "23505")))).isFalse();
    assertThat(DatabaseConflicts.isConflict(new IllegalStateException("Redis unreachable"))).isFalse();
  }

  @Test
  void runsTheTransactionAgainUntilItIsNoLongerAVictim() {
    AtomicInteger runs = new AtomicInteger();

    String result = DatabaseConflicts.retried("test", () -> {
      if (runs.incrementAndGet() < 3) {
        throw rolledBack(new SQLTransactionRollbackException("Deadlock detected", "40001"));
      }
      return "committed";
    });

    assertThat(result).isEqualTo("committed");
    assertThat(runs).hasValue(3);
  }

  @Test
  void givesUpAfterItsAttemptsWithTheLastConflict() {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> DatabaseConflicts.retried("test", () -> {
      runs.incrementAndGet();
      throw rolledBack(new SQLTransactionRollbackException("Deadlock detected", "40001"));
    })).isInstanceOf(EJBTransactionRolledbackException.class);
    assertThat(runs).hasValue(DatabaseConflicts.ATTEMPTS);
  }

  @Test
  void anyOtherFailureIsThrownAtOnce() {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> DatabaseConflicts.retried("test", () -> {
      runs.incrementAndGet();
      throw rolledBack(new SQLException("Connection refused", "08001"));
    })).isInstanceOf(EJBTransactionRolledbackException.class);
    assertThat(runs).hasValue(1);
  }
}
