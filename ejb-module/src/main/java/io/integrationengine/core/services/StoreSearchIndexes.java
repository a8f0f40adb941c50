package io.integrationengine.core.services;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The message search's indexes that JPA cannot declare (its {@code @Index} takes plain columns),
 * on PostgreSQL only: trigram indexes ({@code pg_trgm}, which PostgreSQL ships) for the text search
 * in control ids, status details and the attribute values a text search looks into
 * ({@link io.integrationengine.core.model.Attributes#TEXT_SEARCHED}), and an index on the
 * upper-cased patient names for their prefixes (see {@link JpaMessageRepository#search}). The
 * attribute ones are partial: only the rows the searches look at have entries; statistics objects
 * on their expressions ({@link #STATISTICS}) tell the planner how common a name or text is. Made at startup, in the background, when missing, with
 * {@code create index concurrently}: on a store that already holds millions of messages they take
 * a minute or more to build, and intake goes on meanwhile. An index left invalid by an interrupted
 * build is dropped and built again. Without them (H2, or a server where the extension cannot be
 * created) the searches still work, by scanning. On every store it also drops the indexes earlier
 * versions made that are no longer needed ({@link #RETIRED}), and their constraints likewise
 * ({@link #RETIRED_CONSTRAINTS}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StoreSearchIndexes {

  private static final Logger LOG = Logger.getLogger(StoreSearchIndexes.class.getName());

  /** Name and definition; PostgreSQL folds the unquoted names to lower case. */
  static final Map<String, String> INDEXES = new LinkedHashMap<>();

  static {
    // partial, as the searches' conditions (JpaMessageRepository.search): an attribute row of another name costs them no write
    INDEXES.put("ix_attribute_name", "on ENGINE_ATTRIBUTE (" + JpaMessageRepository.patientNameValue("") + " text_pattern_ops) where "
        + JpaMessageRepository.IS_PATIENT_NAME);
    INDEXES.put("ix_attribute_text", "on ENGINE_ATTRIBUTE using gin (" + JpaMessageRepository.textValue("") + " gin_trgm_ops) where "
        + JpaMessageRepository.IS_TEXT_SEARCHED);
    INDEXES.put("ix_envelope_control_id_trgm", "on ENGINE_ENVELOPE using gin (CONTROL_ID gin_trgm_ops)");
    INDEXES.put("ix_envelope_detail_trgm", "on ENGINE_ENVELOPE using gin (STATUS_DETAIL gin_trgm_ops)");
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Resource
  ManagedExecutorService executor;

  @Inject
  StoreSchema schema;

  /** Brings an earlier version's store to this one's schema first (while deploying; see {@link StoreSchema}), then builds the indexes in the background. */
  @PostConstruct
  void start() {
    schema.ensureCurrent();
    executor.execute(this::ensure);
  }

  /**
   * Indexes earlier versions declared that are no longer needed, dropped from stores made then
   * (JPA's schema generation adds indexes, never drops them): each one cost a write per message.
   * {@code IX_ENVELOPE_PARENT} is the first column of {@code UQ_ENVELOPE_RECORD}; the attribute
   * indexes of every row (name prefix, trigrams) were replaced by partial ones (PostgreSQL only).
   */
  static final List<String> RETIRED = List.of("IX_ENVELOPE_PARENT", "ix_attribute_name_upper", "ix_attribute_value_trgm", "ix_attribute_patient_name",
      "ix_attribute_text_trgm");

  /**
   * Statistics objects on the partial indexes' expressions (PostgreSQL 14 or later): the planner
   * uses no statistics of a partial index, and needs these to tell a rare name or text (ask the
   * index) from a common one (walk the newest messages).
   */
  static final Map<String, String> STATISTICS = Map.of(
      "st_attribute_name", "on (" + JpaMessageRepository.patientNameValue("") + ") from ENGINE_ATTRIBUTE",
      "st_attribute_text", "on (" + JpaMessageRepository.textValue("") + ") from ENGINE_ATTRIBUTE");

  /**
   * Constraints earlier versions declared, by table, dropped from stores made then: the attribute
   * rows' foreign key to their envelope was a lookup per row written (see {@code StoredMessage}).
   */
  static final Map<String, String> RETIRED_CONSTRAINTS = Map.of("FK_ENGINE_ATTRIBUTE_MESSAGE_ID", "ENGINE_ATTRIBUTE");

  void ensure() {
    try (Connection connection = store.getConnection()) {
      boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
      connection.setAutoCommit(true);
      for (String retired : RETIRED) {
        try (Statement s = connection.createStatement()) {
          s.execute("drop index " + (postgres ? "concurrently " : "") + "if exists " + retired);
        } catch (SQLException e) {
          LOG.log(Level.WARNING, "The unneeded index " + retired + " could not be dropped; it only costs a write per message", e);
        }
      }
      for (Map.Entry<String, String> retired : RETIRED_CONSTRAINTS.entrySet()) {
        // looked up first: altering the table takes a lock that would hold intake up at every start
        try (PreparedStatement q = connection.prepareStatement("select count(*) from information_schema.table_constraints where upper(constraint_name) = ?")) {
          q.setString(1, retired.getKey());
          try (ResultSet r = q.executeQuery()) {
            if (!r.next() || r.getLong(1) == 0) {
              continue;
            }
          }
          try (Statement s = connection.createStatement()) {
            s.execute("alter table " + retired.getValue() + " drop constraint if exists " + retired.getKey());
          }
          LOG.info(() -> "Dropped the constraint " + retired.getKey() + ", which this version no longer needs");
        } catch (SQLException e) {
          LOG.log(Level.WARNING, "The unneeded constraint " + retired.getKey() + " could not be dropped; it only costs a lookup per row written", e);
        }
      }
      if (!postgres) {
        return;
      }
      try (Statement s = connection.createStatement()) {
        s.execute("create extension if not exists pg_trgm");
      } catch (SQLException e) {
        LOG.log(Level.WARNING, "The message store has no pg_trgm extension and it could not be created (it needs the CREATE privilege on the"
            + " database): text searches of the console scan the messages instead of using trigram indexes", e);
      }
      boolean made = false;
      for (Map.Entry<String, String> index : INDEXES.entrySet()) {
        made |= ensure(connection, index.getKey(), index.getValue());
      }
      for (Map.Entry<String, String> statistics : STATISTICS.entrySet()) {
        made |= ensureStatistics(connection, statistics.getKey(), statistics.getValue());
      }
      if (made) {
        // the planner knows how common a name prefix or a text is from the statistics objects, which only ANALYZE gathers
        try (Statement s = connection.createStatement()) {
          s.execute("analyze ENGINE_ATTRIBUTE");
        }
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "The message search indexes could not be checked or made; searches still work, more slowly on a large store", e);
    }
  }

  /** Makes the statistics object unless it is there; true if it made it. */
  private static boolean ensureStatistics(Connection connection, String name, String definition) {
    try {
      try (PreparedStatement q = connection.prepareStatement("select 1 from pg_statistic_ext where stxname = ?")) {
        q.setString(1, name);
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            return false;
          }
        }
      }
      try (Statement s = connection.createStatement()) {
        s.execute("create statistics if not exists " + name + " " + definition);
      }
      LOG.info(() -> "Message search statistics " + name + " made");
      return true;
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Message search statistics " + name + " could not be made (PostgreSQL 14 or later has them); the planner may walk"
          + " the newest messages for a rare name or text instead of asking its index", e);
      return false;
    }
  }

  /** Makes the index unless it is there and valid; true if it made it. */
  private static boolean ensure(Connection connection, String name, String definition) {
    try {
      Boolean valid = null;
      try (PreparedStatement q = connection.prepareStatement("select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid"
          + " where c.relname = ? and pg_table_is_visible(c.oid)")) {
        q.setString(1, name);
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            valid = r.getBoolean(1);
          }
        }
      }
      if (Boolean.TRUE.equals(valid)) {
        return false;
      }
      try (Statement s = connection.createStatement()) {
        if (valid != null) {
          LOG.warning(() -> "Index " + name + " was left invalid by an interrupted build: building it again");
          s.execute("drop index concurrently if exists " + name);
        }
        long start = System.nanoTime();
        s.execute("create index concurrently if not exists " + name + " " + definition);
        LOG.info(() -> String.format("Message search index %s made in %.1f s", name, (System.nanoTime() - start) / 1e9));
        return true;
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Message search index " + name + " could not be made; the searches that use it scan instead", e);
      return false;
    }
  }
}
