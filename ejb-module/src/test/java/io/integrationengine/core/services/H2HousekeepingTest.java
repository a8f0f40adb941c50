package io.integrationengine.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2Housekeeping} on a real H2 file database with the store's {@code WRITE_DELAY=0}: messages
 * arrive in small commits and are then routed (a status update), as in the engine; each commit
 * leaves a chunk that stays partly alive (its message's content).
 */
class H2HousekeepingTest {

  private static final int COMMITS = 1_500;
  private static final int PER_COMMIT = 4;
  private static final String CONTENT = "OBX|1|TX|||" + "x".repeat(2_000);

  @TempDir
  Path dir;

  @Test
  void compactingKeepsTheFileNearItsLiveDataAndLosesNothing() throws SQLException {
    File left = grow(dir.resolve("left"), false);
    File compacted = grow(dir.resolve("compacted"), true);

    // live data: 6,000 rows of 2 KB, about 12 MB; measured: 77 MB left alone (fill rate 16%), 44 MB with housekeeping (fill rate 30%)
    assertThat(left.chunksFillRate()).as("left alone").isLessThan(H2Housekeeping.FILL_RATE);
    assertThat(compacted.chunksFillRate()).as("with housekeeping").isGreaterThanOrEqualTo(H2Housekeeping.FILL_RATE - 5);
    assertThat(compacted.bytes()).as("file size with housekeeping, against %d bytes without", left.bytes()).isLessThan(left.bytes() * 2 / 3);
  }

  @Test
  void anIdleStoreIsCompactedToo() throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dir.resolve("idle")), "sa", ""); Statement s = c.createStatement()) {
      // commits of 2,000 messages, three in four of them deleted later (as a purge would): chunks a quarter full
      s.execute("create table ENVELOPE (ID bigint primary key, CONTENT varchar(4000))");
      for (int batch = 0; batch < 5; batch++) {
        s.execute("insert into ENVELOPE select X, '" + CONTENT + "' from system_range(" + batch * 2_000 + ", " + (batch * 2_000 + 1_999) + ")");
        s.execute("delete from ENVELOPE where mod(ID, 4) <> 0 and ID >= " + batch * 2_000);
      }
      MVStore mvStore = H2Housekeeping.mvStore(c);
      assertThat(mvStore.getFileStore().getChunksFillRate()).as("before").isLessThan(H2Housekeeping.FILL_RATE);

      // no commits now: only the housekeeping's own writes can free the chunks
      for (int run = 0; run < 200 && H2Housekeeping.compact(mvStore); run++) {
        // each run rewrites at most WRITE_BYTES
      }
      assertThat(mvStore.getFileStore().getChunksFillRate()).as("after").isGreaterThanOrEqualTo(H2Housekeeping.FILL_RATE);
      try (ResultSet r = s.executeQuery("select count(*), min(length(CONTENT)) from ENVELOPE")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo(2_500);
        assertThat(r.getInt(2)).isEqualTo(CONTENT.length());
      }
    }
  }

  private static String url(Path dir) {
    // RETENTION_TIME=0: chunks may be rewritten at once (H2 keeps them 45 s by default, too long for a test)
    return "jdbc:h2:" + dir.resolve("store") + ";WRITE_DELAY=0;RETENTION_TIME=0";
  }

  private record File(long bytes, int chunksFillRate) {}

  /** Writes and routes the messages; returns the file's size and fill rate. Checks that every message is there, routed. */
  private static File grow(Path dir, boolean housekeeping) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dir), "sa", "")) {
      return grow(c, dir, housekeeping);
    }
  }

  private static File grow(Connection c, Path dir, boolean housekeeping) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create table ENVELOPE (ID bigint primary key, STATUS varchar(20), CONTENT varchar(4000))");
      s.execute("create index IX_STATUS on ENVELOPE (STATUS)");
    }
    c.setAutoCommit(false);
    try (PreparedStatement insert = c.prepareStatement("insert into ENVELOPE values (?, 'RECEIVED', ?)");
        PreparedStatement route = c.prepareStatement("update ENVELOPE set STATUS = 'ROUTED' where ID = ?")) {
      for (int commit = 0; commit < COMMITS; commit++) {
        for (int i = 0; i < PER_COMMIT; i++) {
          insert.setLong(1, (long) commit * PER_COMMIT + i);
          insert.setString(2, CONTENT);
          insert.executeUpdate();
        }
        c.commit();
        for (int i = 0; i < PER_COMMIT; i++) {
          route.setLong(1, (long) commit * PER_COMMIT + i);
          route.executeUpdate();
        }
        c.commit();
        if (housekeeping && commit % 20 == 0) {
          H2Housekeeping.compact(H2Housekeeping.mvStore(c));
        }
      }
    }
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select STATUS, count(*), min(length(CONTENT)) from ENVELOPE group by STATUS")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("ROUTED");
      assertThat(r.getLong(2)).isEqualTo((long) COMMITS * PER_COMMIT);
      assertThat(r.getInt(3)).isEqualTo(CONTENT.length());
      assertThat(r.next()).isFalse();
    }
    try {
      return new File(Files.size(dir.resolve("store.mv.db")), H2Housekeeping.mvStore(c).getFileStore().getChunksFillRate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aStoreCommittingAHundredTimesASecondIsBusyAndOneCommittingTenTimesIsNot() {
    long second = 1_000_000_000L;
    assertThat(H2Housekeeping.busy(100, second)).isTrue();
    assertThat(H2Housekeeping.busy(10, second)).isFalse();
    assertThat(H2Housekeeping.busy(60, 2 * second)).as("30 a second").isFalse();
    assertThat(H2Housekeeping.busy(100, 0)).isFalse();
  }
}
