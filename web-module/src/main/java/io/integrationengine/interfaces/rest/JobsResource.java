package io.integrationengine.interfaces.rest;

import io.integrationengine.services.input.file.FileJob;
import io.integrationengine.services.input.file.FileJobs;
import io.integrationengine.services.input.file.FolderWatcher;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The file intake's jobs: one per file taken from a folder channel, newest first, with its records
 * read, stored (and routed) and rejected; a job that failed (the store was unavailable, ...) can be
 * restarted from its last checkpoint.
 */
@Path("/jobs")
@RequestScoped
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

  @Inject
  FileJobs jobs;

  @Inject
  FolderWatcher watcher;

  /**
   * A file's job.
   *
   * @param id the file's id: its envelope message's id and every record's parent id
   * @param status RUNNING, FAILED, ARCHIVED or ERROR
   * @param executionId the batch runtime's latest execution; {@code batchStatus} its status there
   * @param result where the file went; {@code detail} what was wrong with the file as a whole
   */
  public record Job(String id, String channel, String file, long size, String status, Long executionId, String batchStatus, long recordsRead,
      long recordsStored, long recordsFailed, String created, String updated, String result, String detail) {}

  @GET
  public List<Job> list(@QueryParam("limit") @DefaultValue("100") int limit) {
    return jobs.latest(Math.max(1, Math.min(limit, 1000))).stream().map(this::describe).toList();
  }

  @GET
  @Path("{id}")
  public Job one(@PathParam("id") String id) {
    return jobs.find(id).map(this::describe).orElseThrow(() -> new NotFoundException("no file job " + id));
  }

  /** A record of a file: its number in the file and the message it became. */
  public record Record(long number, String messageId, String status, String messageType, String controlId, String statusDetail) {}

  /** The file's records in file order, from record {@code from} (default 1), at most {@code limit} (default 1000). */
  @GET
  @Path("{id}/records")
  public List<Record> records(@PathParam("id") String id, @QueryParam("from") @DefaultValue("1") long from, @QueryParam("limit") @DefaultValue("1000") int limit) {
    if (jobs.find(id).isEmpty()) {
      throw new NotFoundException("no file job " + id);
    }
    return jobs.records(id, from, Math.max(1, Math.min(limit, 10_000))).stream()
        .map(m -> new Record(m.getRecordNumber(), m.getId(), m.getStatus().name(), m.getMessageType(), m.getControlId(), m.getStatusDetail()))
        .toList();
  }

  /** Restarts a FAILED job from its last checkpoint: 202 with the new execution id; 409 when the job did not fail. */
  @RolesAllowed({ApiRoles.OPERATOR, ApiRoles.ADMIN})
  @POST
  @Path("{id}/restart")
  public Response restart(@PathParam("id") String id) {
    FileJob job = jobs.find(id).orElseThrow(() -> new NotFoundException("no file job " + id));
    if (job.getStatus() != FileJob.Status.FAILED) {
      throw new WebApplicationException(Response.status(Response.Status.CONFLICT)
          .entity(Map.of("error", "file job " + id + " is " + job.getStatus() + "; only a FAILED job can be restarted")).type(MediaType.APPLICATION_JSON).build());
    }
    long execution = watcher.restart(id);
    return Response.accepted(Map.of("id", id, "executionId", execution)).build();
  }

  private Job describe(FileJob j) {
    return new Job(j.getId(), j.getChannel(), j.getFileName(), j.getSize(), j.getStatus().name(), j.getExecutionId(), watcher.executionStatus(j), j.getRecordsRead(),
        j.getRecordsStored(), j.getRecordsFailed(), j.getCreatedAt().toString(), j.getUpdatedAt().toString(), j.getResultPath(), j.getDetail());
  }
}
