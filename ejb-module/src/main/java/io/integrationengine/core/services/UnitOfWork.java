package io.integrationengine.core.services;

import java.util.concurrent.Callable;

/**
 * Runs work in a transaction of its own that commits before the call returns, so a caller can act
 * on what is durably stored (answer a sender, hand tasks to Redis) only after the commit.
 */
public interface UnitOfWork {

  /** Runs {@code work} in a new transaction; rolls back and rethrows if it throws. */
  <T> T inNewTransaction(Callable<T> work);
}
