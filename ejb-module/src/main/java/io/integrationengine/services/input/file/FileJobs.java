package io.integrationengine.services.input.file;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file jobs and the records of a file in the message store. Methods join the caller's
 * transaction (a batch chunk's, when the writer calls them), or run in one of their own.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class FileJobs {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

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
    List<Long> numbers = em.createQuery(
            "select m.recordNumber from StoredMessage m where m.parentId = :parent and m.recordNumber between :from and :to", Long.class)
        .setParameter("parent", fileId)
        .setParameter("from", from)
        .setParameter("to", to)
        .getResultList();
    return new HashSet<>(numbers);
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
    return em.createQuery("select count(m) from StoredMessage m where m.parentId = :parent and m.recordNumber is not null", Long.class)
        .setParameter("parent", fileId)
        .getSingleResult();
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

  public boolean envelopeStored(String id) {
    return em.find(StoredMessage.class, id) != null;
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
