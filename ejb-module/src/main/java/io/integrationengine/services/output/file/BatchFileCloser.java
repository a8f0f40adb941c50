package io.integrationengine.services.output.file;

import io.integrationengine.services.output.DestinationRegistry;
import io.integrationengine.services.output.FileDestinationConnector;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/** Closes file destinations' HL7 batch files whose window has passed: every two seconds, on the container's timer. */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchFileCloser {

  @Inject
  DestinationRegistry destinations;

  @Inject
  FileDestinationConnector files;

  @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
  void closeDue() {
    files.closeDueBatches(destinations.destinations().values());
  }
}
