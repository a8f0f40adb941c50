package io.integrationengine.fakes;

import io.integrationengine.core.services.UnitOfWork;
import java.util.concurrent.Callable;

/** A {@link UnitOfWork} that runs the work directly and knows whether a unit is open. */
public class TrackingUnitOfWork implements UnitOfWork {

  private boolean open;
  public int committed;

  public boolean inTransaction() {
    return open;
  }

  @Override
  public <T> T inNewTransaction(Callable<T> work) {
    open = true;
    try {
      T result = work.call();
      committed++;
      return result;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      open = false;
    }
  }
}
