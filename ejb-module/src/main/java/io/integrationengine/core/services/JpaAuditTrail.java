package io.integrationengine.core.services;

import io.integrationengine.core.model.AuditEntry;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AuditTrail} in the message store's database (table {@code ENGINE_AUDIT}). A session bean:
 * its callers are web requests, and Payara finds the EJB module's persistence unit from the
 * invocation that first uses an entity manager, which for a plain CDI bean called only from the
 * web module would be the web module's (where the unit is not visible).
 */
@Stateless
public class JpaAuditTrail implements AuditTrail {

  @PersistenceContext(unitName = "engine")
  EntityManager em;

  @Override
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void record(AuditEntry entry) {
    em.persist(entry);
  }

  @Override
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<AuditEntry> find(Query query, int limit) {
    List<String> where = new ArrayList<>();
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (query.actor() != null) {
      where.add("e.actor = :actor");
      parameters.put("actor", query.actor());
    }
    if (query.action() != null) {
      where.add("e.action = :action");
      parameters.put("action", query.action());
    }
    if (query.subject() != null) {
      where.add("e.subject = :subject");
      parameters.put("subject", query.subject());
    }
    if (query.from() != null) {
      where.add("e.at >= :from");
      parameters.put("from", query.from());
    }
    if (query.to() != null) {
      where.add("e.at < :to");
      parameters.put("to", query.to());
    }
    String jpql = "select e from AuditEntry e" + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by e.at desc, e.id desc";
    TypedQuery<AuditEntry> typed = em.createQuery(jpql, AuditEntry.class);
    parameters.forEach(typed::setParameter);
    return typed.setMaxResults(limit).getResultList();
  }
}
