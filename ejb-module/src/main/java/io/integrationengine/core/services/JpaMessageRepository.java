package io.integrationengine.core.services;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.model.StoredMessageRows;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** {@link MessageRepository} on JPA ({@code jdbc/engine}: H2 by default, PostgreSQL in production). */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class JpaMessageRepository implements MessageRepository {

  /** The condition on an attribute row's name of the patient name search, and of its PostgreSQL index. */
  static final String IS_PATIENT_NAME = "NAME = '" + Attributes.PATIENT_NAME + "'";

  /** The condition on an attribute row's name of the text search, and of its PostgreSQL trigram index. */
  static final String IS_TEXT_SEARCHED = Attributes.TEXT_SEARCHED.stream().map(name -> "'" + name + "'")
      .collect(java.util.stream.Collectors.joining(", ", "NAME in (", ")"));

  /**
   * What a patient name prefix is matched on: the upper-cased value of the {@code patientName} rows,
   * null for the others. The expression of a partial PostgreSQL index, and of a statistics object
   * ({@code create statistics}): PostgreSQL ignores a partial index's statistics, and the value
   * column's own statistics mix every attribute, so the planner would not know how common a name is.
   */
  static String patientNameValue(String alias) {
    return "(case when " + alias + IS_PATIENT_NAME + " then upper(" + alias + "ATTR_VALUE) end)";
  }

  /**
   * What a text is matched on in attribute rows: the value of the rows {@link #IS_TEXT_SEARCHED},
   * null for the others; the expression of their trigram index and of a statistics object, as
   * {@link #patientNameValue}. With the value column's statistics, a text common in other
   * attributes (a receiving application's name) looked common, and PostgreSQL walked all messages
   * for it (4 s over 1,000,000 messages) instead of asking the index, which has none.
   */
  static String textValue(String alias) {
    return "(case when " + alias + IS_TEXT_SEARCHED + " then " + alias + "ATTR_VALUE end)";
  }

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
  TransactionSynchronizationRegistry transactions;

  @Inject
  RecentMessages recent;

  @Inject
  StoreSchema schema;

  /** Whether the store is PostgreSQL; found out at the first search. */
  private volatile Boolean postgres;

  /** Before the first read or write: a store of an earlier version is brought to this one's schema. */
  @PostConstruct
  void schemaCurrent() {
    schema.ensureCurrent();
  }

  @Override
  public void add(StoredMessage message) {
    em.persist(message);
  }

  /** Two JDBC batches on the transaction's connection ({@link StoredMessageRows#insert}). */
  @Override
  public void addAll(List<StoredMessage> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try (Connection connection = store.getConnection()) {
      StoredMessageRows.insert(connection, batch);
    } catch (SQLException e) {
      throw failure("could not store " + batch.size() + " message(s), the first " + batch.get(0).getId(), e);
    }
    rememberOnCommit(batch);
  }

  /** Remembers the messages in {@link RecentMessages} once (and only if) the transaction commits. */
  private void rememberOnCommit(List<StoredMessage> batch) {
    AfterCommit.run(transactions, () -> recent.remember(batch));
  }

  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<StoredMessage> findAllRecent(Collection<String> ids) {
    List<String> missing = new ArrayList<>();
    List<StoredMessage> found = recent.copies(ids, missing);
    if (!missing.isEmpty()) {
      found.addAll(findAll(missing));
    }
    return found;
  }

  @Override
  public Optional<StoredMessage> find(String id) {
    return Optional.ofNullable(em.find(StoredMessage.class, id));
  }

  /**
   * A plain read with JDBC ({@link StoredMessageRows}): on the transaction's connection if there
   * is one, else on a connection of its own, starting no transaction.
   */
  @Override
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<StoredMessage> findAll(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    try (Connection connection = store.getConnection()) {
      return StoredMessageRows.read(connection, ids);
    } catch (SQLException e) {
      throw failure("could not read " + ids.size() + " message(s)", e);
    }
  }

  /** One JDBC batch of conditional updates on the transaction's connection ({@link StoredMessageRows#updateStatuses}). */
  @Override
  public Set<String> saveStatuses(Collection<StoredMessage> changed, MessageStatus expected) {
    if (changed.isEmpty()) {
      return Set.of();
    }
    List<StoredMessage> batch = List.copyOf(changed);
    try (Connection connection = store.getConnection()) {
      return StoredMessageRows.updateStatuses(connection, batch, expected);
    } catch (SQLException e) {
      throw failure("could not save the status of " + batch.size() + " message(s), the first " + batch.get(0).getId(), e);
    }
  }

  /** The store's refusal, with the cause a JDBC batch keeps in its next exception. */
  static PersistenceException failure(String what, SQLException e) {
    SQLException cause = e.getNextException() == null ? e : e.getNextException();
    return new PersistenceException(what + ": " + cause.getMessage(), e);
  }

  @Override
  public List<StoredMessage> latest(MessageStatus status, int limit) {
    var query = status == null
        ? em.createNamedQuery(StoredMessage.LATEST, StoredMessage.class)
        : em.createNamedQuery(StoredMessage.BY_STATUS, StoredMessage.class).setParameter("status", status);
    return query.setMaxResults(limit).getResultList();
  }

  /**
   * Native SQL written for PostgreSQL's planner, in the SQL that H2 runs too: it selects the ids of
   * the newest matches, and {@link #findAll} loads them (their attributes in one more statement).
   * What makes it fast on a large PostgreSQL store (docs/benchmarks.md, "Message search, 1,000,000
   * messages"):
   *
   * <ul>
   *   <li>Attribute filters are one {@code m.ID in (select a.MESSAGE_ID ...)} each, without the
   *       {@code distinct} EclipseLink puts into a JPQL subquery over a collection: PostgreSQL turns
   *       it into a semi-join, and chooses between walking the newest envelopes and probing their
   *       attributes (a common value) or looking the value up first (a rare one).
   *   <li>A patient's name is matched on {@link #patientNameValue}, the expression of a partial
   *       PostgreSQL index and of a statistics object ({@link StoreSearchIndexes}) that tells the
   *       planner how common a name prefix is.
   *   <li>A text (case ignored: {@code ilike}, which the trigram indexes serve as they serve
   *       {@code like}) is three statements (control id, status detail, the values of the
   *       attributes {@link Attributes#TEXT_SEARCHED}, {@link #textValue}), each answered
   *       by its own trigram index or by walking the newest messages, whichever is cheaper; their
   *       newest matches are merged here. One statement with the three in an {@code or} (or a
   *       {@code union}) could not be answered by walking: a text found in every message took 8 s.
   * </ul>
   *
   * <p>On PostgreSQL each statement is planned for its values ({@code plan_cache_mode}, for this
   * transaction only): the pool prepares statements on the server, and after five runs PostgreSQL
   * may switch to a plan made without the values, which cannot know that a name or text is rare and
   * walked a million messages for it (3 to 4 s). H2 has none of these indexes and scans, which is
   * fast enough at its sizes.
   */
  @Override
  public List<StoredMessage> search(Search search, int limit) {
    if (onPostgres()) {
      em.createNativeQuery("select set_config('plan_cache_mode', 'force_custom_plan', true)").getSingleResult();
    }
    List<String> where = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (present(search.controlId())) {
      where.add("m.CONTROL_ID = ?");
      parameters.add(search.controlId().strip());
    }
    if (present(search.patient())) {
      // identifiers exactly (index NAME, ATTR_VALUE), names by their start, case ignored
      where.add("m.ID in (select a.MESSAGE_ID from ENGINE_ATTRIBUTE a where (a.NAME in ('" + Attributes.PATIENT_ID + "', '" + Attributes.PATIENT_IDENTIFIER
          + "') and a.ATTR_VALUE = ?) or (a." + IS_PATIENT_NAME + " and " + patientNameValue("a.") + " like ?))");
      parameters.add(search.patient().strip());
      parameters.add(like(search.patient().strip().toUpperCase(java.util.Locale.ROOT)) + "%");
    }
    if (present(search.messageType())) {
      String type = search.messageType().strip();
      if (type.contains("^")) {
        where.add("m.MESSAGE_TYPE = ?");
        parameters.add(type);
      } else {
        where.add("(m.MESSAGE_TYPE = ? or m.MESSAGE_TYPE like ?)");
        parameters.add(type);
        parameters.add(like(type) + "^%");
      }
    }
    if (search.status() != null) {
      where.add("m.STATUS = ?");
      parameters.add(search.status().name());
    }
    if (present(search.channel())) {
      where.add("m.CHANNEL = ?");
      parameters.add(search.channel().strip());
    }
    if (present(search.sender())) {
      where.add("m.ID in (select a.MESSAGE_ID from ENGINE_ATTRIBUTE a where a.NAME in ('" + Attributes.SENDING_APPLICATION + "', '"
          + Attributes.SENDING_FACILITY + "') and a.ATTR_VALUE = ?)");
      parameters.add(search.sender().strip());
    }
    // stored as UTC date-times without an offset
    if (search.from() != null) {
      where.add("m.RECEIVED_AT >= ?");
      parameters.add(search.from().withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    if (search.to() != null) {
      where.add("m.RECEIVED_AT < ?");
      parameters.add(search.to().withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    Set<String> ids = new LinkedHashSet<>();
    if (present(search.text())) {
      // case ignored: PostgreSQL's trigram indexes (gin_trgm_ops) serve ILIKE as they serve LIKE; H2 2.x has ILIKE too
      String text = "%" + like(search.text().strip()) + "%";
      for (String place : List.of("m.CONTROL_ID ilike ?", "m.STATUS_DETAIL ilike ?", "m.ID in (select a.MESSAGE_ID from ENGINE_ATTRIBUTE a where a." + IS_TEXT_SEARCHED + " and " + textValue("a.") + " ilike ?)")) {
        List<String> withText = new ArrayList<>(where);
        withText.add(place);
        List<Object> withTextParameters = new ArrayList<>(parameters);
        withTextParameters.add(text);
        ids.addAll(newestIds(withText, withTextParameters, limit));
      }
    } else {
      ids.addAll(newestIds(where, parameters, limit));
    }
    return findAll(ids).stream()
        .sorted(Comparator.comparing(StoredMessage::getReceivedAt).thenComparing(StoredMessage::getId).reversed())
        .limit(limit)
        .toList();
  }

  /** The ids of the newest {@code limit} envelopes matching every condition. */
  private List<String> newestIds(List<String> where, List<Object> parameters, int limit) {
    // the limit in the statement, not only on the JDBC statement: the planner must know it to walk the newest first
    String sql = "select m.ID from ENGINE_ENVELOPE m" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
        + " order by m.RECEIVED_AT desc fetch first " + limit + " rows only";
    List<?> rows = NativeQueries.create(em, sql, parameters).getResultList();
    return rows.stream().map(Object::toString).toList();
  }

  private boolean onPostgres() {
    Boolean postgres = this.postgres;
    if (postgres == null) {
      try (Connection connection = store.getConnection()) {
        postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
      } catch (SQLException e) {
        throw new IllegalStateException("The message store (jdbc/engine) cannot be reached: " + e.getMessage(), e);
      }
      this.postgres = postgres;
    }
    return postgres;
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** A LIKE pattern matching {@code value} literally (no wildcards of its own; backslash is the escape of both H2 and PostgreSQL). */
  private static String like(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  @Override
  public List<StoredMessage> withControlId(String controlId, int limit) {
    return em.createNamedQuery(StoredMessage.BY_CONTROL_ID, StoredMessage.class).setParameter("controlId", controlId).setMaxResults(limit).getResultList();
  }

  @Override
  public List<StoredMessage> withAttribute(String name, String value, int limit) {
    // kept in columns of their own, not in attribute rows
    if (Attributes.CONTROL_ID.equals(name)) {
      return withControlId(value, limit);
    }
    if (Attributes.MESSAGE_TYPE.equals(name)) {
      return em.createNamedQuery(StoredMessage.BY_MESSAGE_TYPE, StoredMessage.class).setParameter("messageType", value).setMaxResults(limit).getResultList();
    }
    return em.createNamedQuery(StoredMessage.BY_ATTRIBUTE, StoredMessage.class)
        .setParameter("name", name)
        .setParameter("value", value)
        .setMaxResults(limit)
        .getResultList();
  }

  /** Native SQL on the envelope's table: JPQL on {@link StoredMessage} joins its content's table too. */
  @Override
  public List<String> claimWaitingForRouting(OffsetDateTime before, int limit) {
    List<?> waiting = em.createNativeQuery("select ID, QUEUED_AT from ENGINE_ENVELOPE where STATUS = ?1 and QUEUED_AT < ?2 order by QUEUED_AT fetch first "
            + limit + " rows only")
        .setParameter(1, MessageStatus.RECEIVED.name())
        .setParameter(2, StoredMessageRows.timestamp(before))
        .getResultList();
    Timestamp now = StoredMessageRows.timestamp(OffsetDateTime.now(ZoneOffset.UTC));
    Query requeue = em.createNativeQuery("update ENGINE_ENVELOPE set QUEUED_AT = ?1 where ID = ?2 and QUEUED_AT = ?3 and STATUS = ?4");
    List<String> claimed = new ArrayList<>();
    for (Object row : waiting) {
      Object[] columns = (Object[]) row;
      String id = columns[0].toString();
      int updated = requeue.setParameter(1, now).setParameter(2, id).setParameter(3, columns[1]).setParameter(4, MessageStatus.RECEIVED.name()).executeUpdate();
      if (updated == 1) {
        claimed.add(id);
      }
    }
    return claimed;
  }
}
