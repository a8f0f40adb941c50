package io.integrationengine.services.input.file;

import io.integrationengine.core.model.MessageIds;
import io.integrationengine.core.services.UnitOfWork;
import jakarta.annotation.PostConstruct;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the folder channels' folders, every second, on the container's timer thread (no thread
 * of its own), and starts a {@code file-intake} batch job per complete file.
 *
 * <p>A file counts as complete when it was renamed into the folder after it was written (Linux sets
 * its status-change time at the rename, later than its last modification), or when its size and
 * modification time have not changed for the channel's {@code stableMillis}. Names starting with
 * {@code .} are ignored, so a sender can write {@code .name} and rename it. A complete file is
 * claimed by moving it to {@code work/<channel>/<file id>_<name>}: from then on it belongs to its
 * job, and the move is the only record needed that it was taken.
 *
 * <p>Files in {@code work/} whose job is not running in this server (it stopped or was killed while
 * the job ran) are taken up again at the first tick after a start: a new execution continues from
 * the position committed with the last chunk (the batch runtime cannot restart an execution it
 * still records as running). One server instance per set of folders.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FolderWatcher {

  private static final Logger LOG = Logger.getLogger(FolderWatcher.class.getName());
  static final String JOB = "file-intake";

  @Inject
  FolderChannels channels;

  @Inject
  FileJobs jobs;

  @Inject
  UnitOfWork work;

  /** What a file looked like when first seen unchanged. */
  private record Seen(long size, FileTime modified, long since) {}

  private final Map<Path, Seen> seen = new HashMap<>();
  /** Files whose job this server started since it booted. */
  private final Set<String> startedHere = new HashSet<>();

  /**
   * Reads the jobs once from here: a container-managed entity manager injected into a CDI bean finds
   * its persistence unit through the first component that uses it, and the web module cannot
   * (GET /api/jobs failed until a file had been taken).
   */
  @PostConstruct
  void warmUp() {
    try {
      jobs.latest(1);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "File jobs cannot be read now: " + e.getMessage(), e);
    }
  }

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void tick() {
    FileFolders folders = channels.folders();
    Set<Path> present = new HashSet<>();
    for (FolderChannel channel : channels.valid().values()) {
      try {
        Path work = folders.work().resolve(channel.id());
        Files.createDirectories(work);
        if (channel.enabled() && channels.watchesFolder(channel.id())) {
          Files.createDirectories(channel.directory());
          claimComplete(channel, work, present);
        }
        runWaiting(channel, work);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "Folder channel " + channel.id() + " (" + channel.directory() + "): " + e.getMessage(), e);
      }
    }
    seen.keySet().retainAll(present);
  }

  /** Moves every complete file of the channel's folder to its work folder. */
  private void claimComplete(FolderChannel channel, Path work, Set<Path> present) throws IOException {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(channel.directory())) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException gone) {
          continue;
        }
        if (!attributes.isRegularFile()) {
          continue;
        }
        present.add(file);
        if (!complete(channel, file, attributes, now)) {
          continue;
        }
        String id = MessageIds.next();
        Path claimed = work.resolve(id + "_" + name);
        try {
          move(file, claimed);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "Could not take file " + file + " (channel " + channel.id() + "); trying again", e);
          continue;
        }
        seen.remove(file);
        LOG.info(() -> "Took file " + name + " (" + attributes.size() + " bytes) on channel " + channel.id() + " as file " + id);
      }
    }
  }

  private boolean complete(FolderChannel channel, Path file, BasicFileAttributes attributes, long now) {
    Seen before = seen.get(file);
    if (before == null || before.size() != attributes.size() || !before.modified().equals(attributes.lastModifiedTime())) {
      seen.put(file, new Seen(attributes.size(), attributes.lastModifiedTime(), now));
      if (attributes.size() > 0 && renamedAfterWriting(file, attributes)) {
        return true;
      }
      return channel.stableTime().isZero();
    }
    return now - before.since() >= channel.stableTime().toMillis();
  }

  /** Linux sets a file's status-change time when it is renamed: later than its last write means it was moved in after writing. */
  private static boolean renamedAfterWriting(Path file, BasicFileAttributes attributes) {
    try {
      Object changed = Files.getAttribute(file, "unix:ctime");
      return changed instanceof FileTime ctime && ctime.compareTo(attributes.lastModifiedTime()) > 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Starts or resumes the jobs of files waiting in the channel's work folder; finishes moves a stop interrupted. */
  private void runWaiting(FolderChannel channel, Path work) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(work)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        int separator = name.indexOf('_');
        if (separator != 36 || !Files.isRegularFile(file)) {
          continue;
        }
        String id = name.substring(0, separator);
        try {
          Optional<FileJob> job = jobs.find(id);
          if (job.isEmpty()) {
            long size = Files.size(file);
            this.work.inNewTransaction(() -> {
              jobs.add(new FileJob(id, channel.id(), name.substring(separator + 1), file.toString(), size));
              return null;
            });
            start(id, channel);
          } else {
            switch (job.get().getStatus()) {
              case RUNNING -> {
                if (!startedHere.contains(id)) {
                  if (job.get().getExecutionId() == null) {
                    LOG.info(() -> "File " + job.get().getFileName() + " (id " + id + "): starting its job again (the last attempt failed)");
                  } else {
                    LOG.info(() -> "File " + job.get().getFileName() + " (id " + id + ") was being read when the server stopped: continuing from record "
                        + job.get().getNextRecord() + " (byte " + job.get().getResumeOffset() + ")");
                  }
                  start(id, channel);
                } else {
                  checkExecution(job.get());
                }
              }
              case ARCHIVED, ERROR -> {
                if (job.get().getResultPath() != null) {
                  move(file, Path.of(job.get().getResultPath()));
                }
              }
              case FAILED -> {
                // waits for a restart from the API
              }
              default -> throw new IllegalStateException(job.get().getStatus().name());
            }
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "File " + name + " on channel " + channel.id() + ": could not start its job now; trying again", e);
        }
      }
    }
  }

  private void start(String id, FolderChannel channel) {
    Properties parameters = new Properties();
    parameters.setProperty("fileId", id);
    parameters.setProperty("chunkSize", String.valueOf(channel.chunkSize()));
    long execution = BatchRuntime.getJobOperator().start(JOB, parameters);
    startedHere.add(id);
    work.inNewTransaction(() -> {
      jobs.started(id, execution);
      return null;
    });
  }

  /** A job this server started whose execution ended without marking the file (its listener could not reach the store). */
  private void checkExecution(FileJob job) {
    if (job.getExecutionId() == null) {
      return;
    }
    BatchStatus status = BatchRuntime.getJobOperator().getJobExecution(job.getExecutionId()).getBatchStatus();
    if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status == BatchStatus.ABANDONED) {
      work.inNewTransaction(() -> {
        jobs.finished(job.getId(), FileJob.Status.FAILED, null, "job execution " + job.getExecutionId() + " " + status);
        return null;
      });
    }
  }

  /**
   * Restarts the job of a file whose job failed, from its last checkpoint.
   *
   * @return the new execution's id
   * @throws IllegalStateException when the file's job did not fail
   */
  public long restart(String id) {
    FileJob job = jobs.find(id).orElseThrow(() -> new IllegalArgumentException("no file job " + id));
    if (job.getStatus() != FileJob.Status.FAILED) {
      throw new IllegalStateException("file job " + id + " is " + job.getStatus() + "; only a FAILED job can be restarted");
    }
    JobOperator operator = BatchRuntime.getJobOperator();
    Properties parameters = operator.getParameters(job.getExecutionId());
    long execution = operator.restart(job.getExecutionId(), parameters);
    startedHere.add(id);
    work.inNewTransaction(() -> {
      jobs.started(id, execution);
      return null;
    });
    LOG.info(() -> "File job " + id + " (" + job.getFileName() + ") restarted as execution " + execution);
    return execution;
  }

  /** The batch runtime's status of a file's latest execution, or null when unknown (e.g. it ran before a restart of the server). */
  public String executionStatus(FileJob job) {
    if (job.getExecutionId() == null) {
      return null;
    }
    try {
      return BatchRuntime.getJobOperator().getJobExecution(job.getExecutionId()).getBatchStatus().name();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Moves a file, atomically where the file system allows (always within one). */
  static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
