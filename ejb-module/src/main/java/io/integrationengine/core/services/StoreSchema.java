package io.integrationengine.core.services;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings a message store made by an earlier version to this version's schema, where JPA's schema
 * generation (which creates missing tables and columns, never moves or drops anything) cannot:
 * for now the content's move to a table of its own ({@link ContentMigration}). Done once, before the
 * repositories that read or write messages serve their first call (they ask in their
 * {@code @PostConstruct}), and at start-up ({@link StoreSearchIndexes}); the message-driven beans
 * may take messages before the start-up beans run, so those calls wait for the move.
 */
@ApplicationScoped
public class StoreSchema {

  private static final Logger LOG = Logger.getLogger(StoreSchema.class.getName());

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Resource
  ManagedExecutorService executor;

  private volatile boolean current;

  /**
   * Returns once the store has this version's schema, moving what needs moving first; a failure is
   * thrown, and the next call tries again. The work runs on a thread of the managed executor, outside
   * the caller's transaction: its statements commit as they go (and H2 commits on DDL).
   */
  public void ensureCurrent() {
    if (current) {
      return;
    }
    synchronized (this) {
      if (current) {
        return;
      }
      try {
        executor.submit(this::migrate).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the message store's schema was brought up to date", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("The message store's schema could not be brought up to date (retried at the next use): " + e.getCause().getMessage(),
            e.getCause());
      }
      current = true;
    }
  }

  private Void migrate() throws SQLException {
    try (Connection connection = store.getConnection()) {
      long started = System.nanoTime();
      long moved = ContentMigration.run(connection);
      if (moved >= 0) {
        LOG.info(() -> "Moved the content of " + moved + " stored message(s) from ENGINE_ENVELOPE to its own table ENGINE_CONTENT in "
            + (System.nanoTime() - started) / 1_000_000 + " ms (this version keeps it there)");
      }
    }
    return null;
  }
}
