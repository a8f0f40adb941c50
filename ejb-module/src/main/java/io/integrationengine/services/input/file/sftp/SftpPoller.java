package io.integrationengine.services.input.file.sftp;

import io.integrationengine.core.sftp.SftpConnections;
import io.integrationengine.services.input.file.FileJobs;
import io.integrationengine.services.input.file.FolderChannels;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls the SFTP channels' remote folders: a timer ticks every second on the container's timer
 * thread and hands each channel whose poll interval has passed, and whose last poll has ended, to
 * the container's managed executor (a download never holds up the timer or another channel). The
 * files it downloads land in {@code work/<channel>/}, where {@code FolderWatcher} starts their
 * {@code file-intake} jobs as for a folder channel's files.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SftpPoller {

  private static final Logger LOG = Logger.getLogger(SftpPoller.class.getName());

  @Inject
  SftpChannels channels;

  @Inject
  FolderChannels intake;

  @Inject
  SftpConnections connections;

  @Inject
  FileJobs jobs;

  @Resource
  ManagedExecutorService executor;

  private final Map<String, SftpChannelPoll> polls = new ConcurrentHashMap<>();

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void tick() {
    Map<String, SftpChannel> current = channels.valid();
    for (String removed : List.copyOf(polls.keySet())) {
      if (!current.containsKey(removed) && polls.get(removed).tryClose()) {
        polls.remove(removed);
      }
    }
    long now = System.currentTimeMillis();
    for (SftpChannel channel : current.values()) {
      // the intake settings (charset, chunk size, profiles) must be valid too, or the files' jobs could not run
      if (!channel.enabled() || intake.channel(channel.id()).isEmpty()) {
        continue;
      }
      SftpChannelPoll poll = polls.computeIfAbsent(channel.id(), id -> new SftpChannelPoll(connections.connection(), jobs::find));
      if (poll.claim(channel, now)) {
        Path work = intake.folders().work().resolve(channel.id());
        try {
          executor.execute(() -> poll.poll(channel, work));
        } catch (RuntimeException e) {
          poll.release();
          LOG.log(Level.WARNING, "SFTP channel '" + channel.id() + "': could not start its poll now", e);
        }
      }
    }
  }

  /**
   * Each valid SFTP channel's polling, by id: {@code ERROR} also when it cannot be polled at all (its
   * file settings are invalid), {@code DISABLED} when switched off.
   */
  @Lock(LockType.READ)
  public Map<String, SftpChannelState> states() {
    Map<String, SftpChannelState> states = new TreeMap<>();
    Map<String, String> invalidIntake = intake.invalid();
    for (SftpChannel channel : channels.valid().values()) {
      SftpChannelPoll poll = polls.get(channel.id());
      SftpChannelState state = poll == null ? SftpChannelState.NOT_YET : poll.state();
      if (!channel.enabled()) {
        state = state.as(SftpChannelState.Condition.DISABLED, null);
      } else if (invalidIntake.containsKey(channel.id())) {
        state = state.as(SftpChannelState.Condition.ERROR, "not polled: " + invalidIntake.get(channel.id()));
      }
      // (a channel just defined may be known here before the intake settings are read again: waiting)
      states.put(channel.id(), state);
    }
    return states;
  }

  @PreDestroy
  void stop() {
    polls.values().forEach(SftpChannelPoll::tryClose);
  }
}
