package io.integrationengine.core.services;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Transactions the database rolled back to break a deadlock or a write conflict, and running such
 * work again. H2 and PostgreSQL both pick a victim when two transactions wait for rows the other
 * holds (SQLState {@code 40001}, PostgreSQL's deadlock {@code 40P01}): the same work, run again, then
 * goes through, since the other transaction has gone on.
 */
public final class DatabaseConflicts {

  private static final Logger LOG = Logger.getLogger(DatabaseConflicts.class.getName());

  /** Runs in all, the first included. */
  public static final int ATTEMPTS = 5;

  private DatabaseConflicts() {}

  /**
   * Runs {@code transaction} (a whole transaction: it must begin and end inside) again while the
   * database rolls it back for a conflict, up to {@link #ATTEMPTS} runs; any other failure, or the
   * last conflict, is thrown. The work must be safe to run again after a rollback.
   */
  public static <T> T retried(String what, Supplier<T> transaction) {
    for (int attempt = 1;; attempt++) {
      try {
        return transaction.get();
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !isConflict(e)) {
          throw e;
        }
        int done = attempt;
        LOG.log(Level.FINE, e, () -> what + ": rolled back by the database for a conflict with another transaction (attempt " + done + " of " + ATTEMPTS + "); running it again");
      }
    }
  }

  /** Whether the database rolled back the transaction to break a deadlock or a write conflict (somewhere in the causes). */
  public static boolean isConflict(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof SQLTransactionRollbackException) {
        return true;
      }
      if (t instanceof SQLException sql && (conflict(sql) || sql.getNextException() != null && conflict(sql.getNextException()))) {
        // a JDBC batch's exception may keep the statement's own in its next exception
        return true;
      }
    }
    return false;
  }

  private static boolean conflict(SQLException e) {
    return e instanceof SQLTransactionRollbackException || "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }
}
