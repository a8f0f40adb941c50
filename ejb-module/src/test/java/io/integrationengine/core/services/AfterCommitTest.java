package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AfterCommitTest {

  /** A registry with or without a transaction, which keeps what is registered with it. */
  private static final class Registry implements TransactionSynchronizationRegistry {
    final Object key;
    final List<Synchronization> registered = new ArrayList<>();

    Registry(Object key) {
      this.key = key;
    }

    void complete(int status) {
      registered.forEach(s -> s.afterCompletion(status));
    }

    @Override
    public Object getTransactionKey() {
      return key;
    }

    @Override
    public void putResource(Object k, Object value) {}

    @Override
    public Object getResource(Object k) {
      return null;
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
      registered.add(sync);
    }

    @Override
    public int getTransactionStatus() {
      return key == null ? Status.STATUS_NO_TRANSACTION : Status.STATUS_ACTIVE;
    }

    @Override
    public void setRollbackOnly() {}

    @Override
    public boolean getRollbackOnly() {
      return false;
    }
  }

  @Test
  void withoutATransactionItRunsAtOnce() {
    AtomicInteger runs = new AtomicInteger();
    AfterCommit.run(new Registry(null), runs::incrementAndGet);
    assertThat(runs).hasValue(1);
  }

  @Test
  void inATransactionItRunsOnlyOnceItHasCommitted() {
    AtomicInteger runs = new AtomicInteger();
    Registry committed = new Registry("tx1");
    AfterCommit.run(committed, runs::incrementAndGet);
    assertThat(runs).as("not before the commit").hasValue(0);
    committed.complete(Status.STATUS_COMMITTED);
    assertThat(runs).hasValue(1);

    Registry rolledBack = new Registry("tx2");
    AfterCommit.run(rolledBack, runs::incrementAndGet);
    rolledBack.complete(Status.STATUS_ROLLEDBACK);
    assertThat(runs).as("not after a rollback").hasValue(1);
  }
}
