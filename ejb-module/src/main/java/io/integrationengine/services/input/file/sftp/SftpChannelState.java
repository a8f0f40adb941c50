package io.integrationengine.services.input.file.sftp;

import java.time.Instant;

/**
 * How an SFTP channel's polling goes, as {@code /api/channels} and the {@code sftp-channels} health
 * check show it: the outcome of its last poll ({@code detail} says why it failed: the server cannot
 * be reached, its host key or the credentials are refused, the folder is missing), when a poll last
 * went well, and how many files it has taken since the application started.
 *
 * @param detail why the channel is not polling well; null when it is
 * @param lastPoll when the last poll ended; null before the first
 * @param lastSuccessfulPoll when a poll last went well; null when none has yet (since the application started)
 */
public record SftpChannelState(Condition condition, String detail, Instant lastPoll, Instant lastSuccessfulPoll, long filesTaken) {

  /** The outcome of the channel's polling. */
  public enum Condition {
    /** Not polled yet (it was just defined, or the application just started). */
    WAITING,
    /** The last poll listed the folder and took what was complete. */
    OK,
    /** The last poll failed, or the channel cannot be polled: {@code detail} says why. */
    ERROR,
    /** {@code enabled=false}: nothing is polled. */
    DISABLED
  }

  /** A channel not polled yet. */
  static final SftpChannelState NOT_YET = new SftpChannelState(Condition.WAITING, null, null, null, 0);

  /** This state, with another condition and detail (the poll times and count kept). */
  SftpChannelState as(Condition other, String why) {
    return new SftpChannelState(other, why, lastPoll, lastSuccessfulPoll, filesTaken);
  }

  /** One line, as the health check gives it: {@code ok}, or {@code error: <why>}, with the last good poll and the files taken. */
  public String summary() {
    StringBuilder line = new StringBuilder(condition.name().toLowerCase(java.util.Locale.ROOT));
    if (detail != null) {
      line.append(": ").append(detail);
    }
    line.append(" (last successful poll: ").append(lastSuccessfulPoll == null ? "none" : lastSuccessfulPoll.toString());
    line.append("; files taken: ").append(filesTaken).append(')');
    return line.toString();
  }
}
