package io.integrationengine.services.input.file;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.StoreSchema;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file jobs and the records of a file in the message store. Methods join the caller's
 * transaction (a batch chunk's, when the writer calls them), or run in one of their own. What needs
 * no content is read with native SQL on the envelope's table: JPQL on {@link StoredMessage} joins
 * its content's table too.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class FileJobs {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Inject
  StoreSchema schema;

  /** Before the first read or write: a store of an earlier version is brought to this one's schema. */
  @PostConstruct
  void schemaCurrent() {
    schema.ensureCurrent();
  }

  public void add(FileJob job) {
    em.persist(job);
  }

  public Optional<FileJob> find(String id) {
    return Optional.ofNullable(em.find(FileJob.class, id));
  }

  public List<FileJob> latest(int limit) {
    return em.createNamedQuery(FileJob.LATEST, FileJob.class).setMaxResults(limit).getResultList();
  }

  public List<FileJob> withStatus(FileJob.Status status) {
    return em.createNamedQuery(FileJob.BY_STATUS, FileJob.class).setParameter("status", status).getResultList();
  }

  /** Record numbers of the file already stored, between two numbers (inclusive). */
  public Set<Long> storedRecords(String fileId, long from, long to) {
    List<?> numbers = em.createNativeQuery("select RECORD_NUMBER from ENGINE_ENVELOPE where PARENT_ID = ?1 and RECORD_NUMBER between ?2 and ?3")
        .setParameter(1, fileId)
        .setParameter(2, from)
        .setParameter(3, to)
        .getResultList();
    Set<Long> stored = new HashSet<>();
    numbers.forEach(n -> stored.add(((Number) n).longValue()));
    return stored;
  }

  /** The file's rejected records, in file order: what its report lists. */
  public List<StoredMessage> rejectedRecords(String fileId, int limit) {
    return em.createQuery("select m from StoredMessage m where m.parentId = :parent and m.status = :status order by m.recordNumber", StoredMessage.class)
        .setParameter("parent", fileId)
        .setParameter("status", MessageStatus.REJECTED)
        .setMaxResults(limit)
        .getResultList();
  }

  /** The file's records in file order, from record {@code from} on. */
  public List<StoredMessage> records(String fileId, long from, int limit) {
    return em.createQuery("select m from StoredMessage m where m.parentId = :parent and m.recordNumber >= :from order by m.recordNumber", StoredMessage.class)
        .setParameter("parent", fileId)
        .setParameter("from", from)
        .setMaxResults(limit)
        .getResultList();
  }

  public long countRecords(String fileId) {
    return ((Number) em.createNativeQuery("select count(*) from ENGINE_ENVELOPE where PARENT_ID = ?1 and RECORD_NUMBER is not null")
        .setParameter(1, fileId)
        .getSingleResult()).longValue();
  }

  public void chunkStored(String id, long read, long stored, long failed, long nextRecord, long offset) {
    job(id).chunkStored(read, stored, failed, nextRecord, offset);
  }

  public void started(String id, long executionId) {
    job(id).started(executionId);
  }

  public void finished(String id, FileJob.Status outcome, String resultPath, String detail) {
    job(id).finished(outcome, resultPath, detail);
  }

  /** Whether the file's envelope is stored; its content (the whole file) is not read for it. */
  public boolean envelopeStored(String id) {
    return ((Number) em.createNativeQuery("select count(*) from ENGINE_ENVELOPE where ID = ?1").setParameter(1, id).getSingleResult()).longValue() > 0;
  }

  public void addEnvelope(StoredMessage envelope) {
    em.persist(envelope);
  }

  private FileJob job(String id) {
    FileJob job = em.find(FileJob.class, id);
    if (job == null) {
      throw new IllegalStateException("no file job " + id);
    }
    return job;
  }
}
