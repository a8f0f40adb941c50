package io.integrationengine.services.output.file;

import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.DestinationRegistry;
import io.integrationengine.services.output.FileDestinationConnector;
import io.integrationengine.services.output.sftp.SftpDestinationConnector;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.Collection;

/**
 * Closes file and sftp destinations' HL7 batch files whose window has passed: every two seconds, on
 * the container's timer. The sftp destinations' closed batches are then uploaded on the container's
 * managed executor, so a slow or unreachable server never holds up the timer.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchFileCloser {

  @Inject
  DestinationRegistry destinations;

  @Inject
  FileDestinationConnector files;

  @Inject
  SftpDestinationConnector sftp;

  @Resource
  ManagedExecutorService executor;

  @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
  void closeDue() {
    Collection<DestinationDefinition> all = destinations.destinations().values();
    files.closeDueBatches(all);
    sftp.closeAndUploadBatches(all, executor);
  }
}
