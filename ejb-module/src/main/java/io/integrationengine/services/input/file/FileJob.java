package io.integrationengine.services.input.file;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One file taken in by a folder channel, and how far its batch job got: the counts and the
 * position to resume from are updated in the same transaction that stores a chunk's records, so
 * after a crash they say exactly what is stored. The file's id is also the id of its envelope
 * message and every record's parent id.
 */
@Entity
@Table(name = "ENGINE_FILE_JOB", indexes = {@Index(name = "IX_FILE_JOB_CREATED", columnList = "CREATED_AT")})
@NamedQuery(name = FileJob.LATEST, query = "select j from FileJob j order by j.createdAt desc")
@NamedQuery(name = FileJob.BY_STATUS, query = "select j from FileJob j where j.status = :status order by j.createdAt")
public class FileJob {

  public static final String LATEST = "FileJob.latest";
  public static final String BY_STATUS = "FileJob.byStatus";

  /** Where a file stands. */
  public enum Status {
    /** Its job runs (or ran when the server stopped: it is resumed at the next start). */
    RUNNING,
    /** Its job failed (the store was unavailable, ...): the file waits in work/ for a restart from the API. */
    FAILED,
    /** Every record stored and handed on: the file is in archive/. */
    ARCHIVED,
    /** Done, but some records were rejected or the file is not HL7v2 at all: the file and its report are in error/. */
    ERROR
  }

  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Column(name = "CHANNEL", length = 200, nullable = false)
  private String channel;

  @Column(name = "FILE_NAME", length = 1000, nullable = false)
  private String fileName;

  /** The file while its job runs: {@code work/<channel>/<id>_<name>}. */
  @Column(name = "WORK_PATH", length = 2000, nullable = false)
  private String workPath;

  @Column(name = "FILE_SIZE")
  private long size;

  @Enumerated(EnumType.STRING)
  @Column(name = "STATUS", length = 20, nullable = false)
  private Status status;

  /** The batch runtime's latest execution of its job. */
  @Column(name = "EXECUTION_ID")
  private Long executionId;

  @Column(name = "RECORDS_READ")
  private long recordsRead;

  @Column(name = "RECORDS_STORED")
  private long recordsStored;

  @Column(name = "RECORDS_FAILED")
  private long recordsFailed;

  /** The number of the next record to store, and where it starts: the job's checkpoint. */
  @Column(name = "NEXT_RECORD")
  private long nextRecord = 1;

  @Column(name = "RESUME_OFFSET")
  private long resumeOffset;

  @Column(name = "CREATED_AT", nullable = false)
  private OffsetDateTime createdAt;

  @Column(name = "UPDATED_AT", nullable = false)
  private OffsetDateTime updatedAt;

  /** Where the file went (archive/ or error/), once done. */
  @Column(name = "RESULT_PATH", length = 2000)
  private String resultPath;

  /** What was wrong with the file as a whole, or why its job failed. */
  @Column(name = "DETAIL", length = 4000)
  private String detail;

  protected FileJob() {}

  public FileJob(String id, String channel, String fileName, String workPath, long size) {
    this.id = id;
    this.channel = channel;
    this.fileName = fileName;
    this.workPath = workPath;
    this.size = size;
    this.status = Status.RUNNING;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    this.updatedAt = createdAt;
  }

  /** Counts a chunk's records and moves the checkpoint past them. */
  void chunkStored(long read, long stored, long failed, long next, long offset) {
    recordsRead += read;
    recordsStored += stored;
    recordsFailed += failed;
    nextRecord = next;
    resumeOffset = offset;
    updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  void started(long execution) {
    executionId = execution;
    status = Status.RUNNING;
    updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  void finished(Status outcome, String result, String why) {
    status = outcome;
    resultPath = result;
    detail = why == null || why.length() <= 4000 ? why : why.substring(0, 3997) + "...";
    updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  public String getId() {
    return id;
  }

  public String getChannel() {
    return channel;
  }

  public String getFileName() {
    return fileName;
  }

  public String getWorkPath() {
    return workPath;
  }

  public long getSize() {
    return size;
  }

  public Status getStatus() {
    return status;
  }

  public Long getExecutionId() {
    return executionId;
  }

  public long getRecordsRead() {
    return recordsRead;
  }

  public long getRecordsStored() {
    return recordsStored;
  }

  public long getRecordsFailed() {
    return recordsFailed;
  }

  public long getNextRecord() {
    return nextRecord;
  }

  public long getResumeOffset() {
    return resumeOffset;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }

  public OffsetDateTime getUpdatedAt() {
    return updatedAt;
  }

  public String getResultPath() {
    return resultPath;
  }

  public String getDetail() {
    return detail;
  }
}
