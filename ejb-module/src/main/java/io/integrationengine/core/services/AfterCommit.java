package io.integrationengine.core.services;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Work that must happen only once the current transaction has committed: not after a rollback. */
public final class AfterCommit {

  private AfterCommit() {}

  /** Runs {@code work} once the current transaction has committed; at once when there is no transaction. */
  public static void run(TransactionSynchronizationRegistry transactions, Runnable work) {
    if (transactions.getTransactionKey() == null) {
      work.run();
      return;
    }
    transactions.registerInterposedSynchronization(new Synchronization() {
      @Override
      public void beforeCompletion() {}

      @Override
      public void afterCompletion(int status) {
        if (status == Status.STATUS_COMMITTED) {
          work.run();
        }
      }
    });
  }
}
