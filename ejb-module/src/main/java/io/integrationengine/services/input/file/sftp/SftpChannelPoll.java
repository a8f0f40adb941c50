package io.integrationengine.services.input.file.sftp;

import io.integrationengine.core.model.MessageIds;
import io.integrationengine.core.sftp.SftpConnection;
import io.integrationengine.core.sftp.SftpFiles;
import io.integrationengine.core.sftp.SftpRefused;
import io.integrationengine.services.input.file.FileJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;

/**
 * The polling of one SFTP channel: its connection, what each file looked like at the last poll, the
 * last problem reported, and how its polls went ({@link #state()}). One poll at a time ({@link #claim}).
 *
 * <p>A file is taken in this order, so that a stop between any two steps loses and doubles nothing:
 * download to {@code work/<channel>/.download/<file id>_<name>} and force it to disk; check the
 * remote file has not changed meanwhile; move the copy into {@code work/<channel>/} (atomic: the
 * folder watcher then gives it its job); only then archive or delete the remote file. A stop before
 * the move leaves a partial download, removed at the next poll, and the remote file, taken again.
 * A stop after the move and before the archive leaves the remote file, downloaded again: its file id
 * is derived from its channel, path, size and modification time ({@link SftpFileIds}), so the first
 * copy is found (in {@code work/}, or through the file's job) and compared byte for byte; the same
 * bytes are not taken twice, the remote file is just archived.
 */
final class SftpChannelPoll {

  private static final Logger LOG = Logger.getLogger(SftpChannelPoll.class.getName());
  static final String STAGING = ".download";

  private record Seen(long size, long modified) {}

  private final SftpConnection connection;
  private final Function<String, Optional<FileJob>> jobs;
  private final Map<String, Seen> seen = new HashMap<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile long lastPoll;
  private volatile String problem;
  private volatile Instant lastPollEnded;
  private volatile Instant lastSuccess;
  // written by the one poll that runs at a time, read by anyone
  private volatile long filesTaken;

  /**
   * @param jobs the file job of a file id, if there is one
   */
  SftpChannelPoll(SftpConnection connection, Function<String, Optional<FileJob>> jobs) {
    this.connection = connection;
    this.jobs = jobs;
  }

  /** True when no poll runs and the channel's interval has passed since the last one; then it is this caller's to run. */
  boolean claim(SftpChannel channel, long now) {
    if (now - lastPoll < channel.pollInterval().toMillis() || !busy.compareAndSet(false, true)) {
      return false;
    }
    lastPoll = now;
    return true;
  }

  /** The last problem, or null when the last poll went well. */
  String problem() {
    return problem;
  }

  /** The outcome of the last poll, when a poll last went well, and the files taken by this poller. */
  SftpChannelState state() {
    Instant ended = lastPollEnded;
    if (ended == null) {
      return SftpChannelState.NOT_YET;
    }
    String why = problem;
    return new SftpChannelState(why == null ? SftpChannelState.Condition.OK : SftpChannelState.Condition.ERROR, why, ended, lastSuccess, filesTaken);
  }

  /**
   * Lists the channel's remote folder and takes each file whose size and modification time are
   * the same as at the last poll. Never throws: a problem is logged once (until it changes) and the
   * next poll tries again.
   *
   * @param work the channel's work folder, {@code work/<channel>}
   * @return how many files were taken
   */
  int poll(SftpChannel channel, Path work) {
    try {
      int taken = 0;
      SftpClient sftp;
      try {
        sftp = connection.client(channel.endpoint());
      } catch (SftpRefused e) {
        report(channel, e.getMessage(), null);
        lastPollEnded = Instant.now();
        return 0;
      }
      Path staging = work.resolve(STAGING);
      clear(staging);
      Set<String> present = new HashSet<>();
      for (DirEntry entry : list(sftp, channel)) {
        String name = entry.getFilename();
        Attributes attributes = entry.getAttributes();
        if (name.startsWith(".") || !attributes.isRegularFile()) {
          continue;
        }
        present.add(name);
        Seen now = new Seen(attributes.getSize(), millis(attributes.getModifyTime()));
        if (now.equals(seen.put(name, now)) && take(sftp, channel, work, staging, name, now)) {
          seen.remove(name);
          taken++;
          filesTaken++;
        }
      }
      seen.keySet().retainAll(present);
      if (problem != null) {
        LOG.info(() -> "SFTP channel '" + channel.id() + "' (" + channel.endpoint().address() + "): polling " + channel.directory() + " again");
        problem = null;
      }
      lastSuccess = Instant.now();
      lastPollEnded = lastSuccess;
      return taken;
    } catch (IOException | RuntimeException e) {
      connection.close();
      report(channel, "SFTP channel '" + channel.id() + "' (" + channel.endpoint().address() + ", folder " + channel.directory() + "): " + e
          + "; trying again in " + channel.pollInterval().toMillis() + " ms", e);
      lastPollEnded = Instant.now();
      return 0;
    } finally {
      busy.set(false);
    }
  }

  /** Ends a claim whose poll could not be started. */
  void release() {
    busy.set(false);
  }

  /** Closes the connection for good unless a poll runs; true when closed. */
  boolean tryClose() {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    connection.close();
    return true;
  }

  private static List<DirEntry> list(SftpClient sftp, SftpChannel channel) throws IOException {
    List<DirEntry> entries = new ArrayList<>();
    for (DirEntry entry : sftp.readDir(channel.directory())) {
      entries.add(entry);
    }
    return entries;
  }

  /** Downloads one complete file into the work folder and archives or deletes it remotely; false when it changed meanwhile. */
  private boolean take(SftpClient sftp, SftpChannel channel, Path work, Path staging, String name, Seen listed) throws IOException {
    String remote = channel.remotePath(name);
    String id = SftpFileIds.of(channel.id(), remote, listed.size(), listed.modified());
    Files.createDirectories(staging);
    Path staged = staging.resolve(id + "_" + name);
    try (InputStream in = sftp.read(remote);
        FileChannel out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      in.transferTo(Channels.newOutputStream(out));
      out.force(true);
    }
    Attributes after = sftp.stat(remote);
    if (after.getSize() != listed.size() || millis(after.getModifyTime()) != listed.modified() || Files.size(staged) != listed.size()) {
      Files.delete(staged);
      LOG.info(() -> "SFTP channel '" + channel.id() + "': " + remote + " changed while it was downloaded; waiting until it stays the same");
      return false;
    }
    Path target = work.resolve(id + "_" + name);
    Optional<Path> earlier = earlierCopy(id, target);
    if (earlier.isPresent()) {
      if (!Files.exists(earlier.get()) || Files.mismatch(earlier.get(), staged) == -1L) {
        Files.delete(staged);
        String fileId = id;
        LOG.info(() -> "SFTP channel '" + channel.id() + "': " + remote + " was taken before as file " + fileId + " (" + earlier.get()
            + "); not taken again, only " + (channel.afterDownload() == SftpChannel.AfterDownload.ARCHIVE ? "archived" : "deleted") + " on the server");
        finishRemote(sftp, channel, remote, name, id);
        return true;
      }
      // same name, size and time as a file taken before, other bytes: a file of its own
      id = MessageIds.next();
      target = work.resolve(id + "_" + name);
    }
    move(staged, target);
    String fileId = id;
    LOG.info(() -> "Took file " + name + " (" + listed.size() + " bytes) from sftp://" + channel.endpoint().address() + (remote.startsWith("/") ? "" : "/") + remote + " on channel "
        + channel.id() + " as file " + fileId);
    finishRemote(sftp, channel, remote, name, id);
    return true;
  }

  /** Where the copy of an earlier download of the same file is (it may since have been removed), if there was one. */
  private Optional<Path> earlierCopy(String id, Path target) {
    if (Files.exists(target)) {
      return Optional.of(target);
    }
    return jobs.apply(id).map(job -> {
      if (job.getResultPath() != null && Files.exists(Path.of(job.getResultPath()))) {
        return Path.of(job.getResultPath());
      }
      return Path.of(job.getWorkPath());
    });
  }

  private static void finishRemote(SftpClient sftp, SftpChannel channel, String remote, String name, String id) throws IOException {
    if (channel.afterDownload() == SftpChannel.AfterDownload.DELETE) {
      sftp.remove(remote);
      return;
    }
    SftpFiles.createDirectories(sftp, channel.archiveDirectory());
    String archived = channel.archivePath(name);
    if (SftpFiles.exists(sftp, archived)) {
      archived = channel.archivePath(id + "_" + name);
      if (SftpFiles.exists(sftp, archived)) {
        // the same file (same id) put there and archived before
        archived = channel.archivePath(MessageIds.next() + "_" + name);
      }
    }
    sftp.rename(remote, archived);
  }

  private void report(SftpChannel channel, String reason, Throwable e) {
    if (!reason.equals(problem)) {
      problem = reason;
      LOG.log(Level.WARNING, reason, e);
    }
  }

  /** Removes what an interrupted download left. */
  private static void clear(Path staging) throws IOException {
    if (!Files.isDirectory(staging)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Moves the download into the work folder, atomically, and forces the folder's entry to disk. */
  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
    try (FileChannel folder = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
      folder.force(true);
    } catch (IOException e) {
      // not every file system lets a folder be opened; the file itself is on disk
    }
  }

  private static long millis(FileTime time) {
    return time == null ? 0 : time.toMillis();
  }
}
