package io.integrationengine.services.input.file;

import io.integrationengine.core.services.UnitOfWork;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.logging.Logger;

/** Marks a file's job FAILED when its execution failed, so the API offers a restart; the file waits in work/. */
@Dependent
@Named("fileJobListener")
public class FileJobListener extends AbstractJobListener {

  private static final Logger LOG = Logger.getLogger(FileJobListener.class.getName());

  @Inject
  @BatchProperty(name = "fileId")
  String fileId;

  @Inject
  JobContext context;

  @Inject
  FileJobs jobs;

  @Inject
  UnitOfWork work;

  @Override
  public void afterJob() {
    BatchStatus status = context.getBatchStatus();
    if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
      String why = "job execution " + context.getExecutionId() + " " + status + (context.getExitStatus() == null ? "" : ": " + context.getExitStatus());
      LOG.warning(() -> "File job " + fileId + ": " + why + "; the file waits in work/ for POST /api/jobs/" + fileId + "/restart");
      work.inNewTransaction(() -> {
        jobs.find(fileId).ifPresent(j -> jobs.finished(fileId, FileJob.Status.FAILED, null, why));
        return null;
      });
    }
  }
}
