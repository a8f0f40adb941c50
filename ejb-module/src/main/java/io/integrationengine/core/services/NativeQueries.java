package io.integrationengine.core.services;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/** Native SQL written with plain {@code ?} parameters, as JPA runs it. */
public final class NativeQueries {

  private NativeQueries() {}

  /** A native query of {@code sql} with its {@code ?} numbered {@code ?1, ?2, ...}, as JPA takes them, and bound to {@code parameters} in order. */
  public static Query create(EntityManager em, String sql, List<?> parameters) {
    StringBuilder numbered = new StringBuilder(sql.length() + 16);
    int n = 0;
    for (char c : sql.toCharArray()) {
      numbered.append(c);
      if (c == '?') {
        numbered.append(++n);
      }
    }
    Query query = em.createNativeQuery(numbered.toString());
    for (int i = 0; i < parameters.size(); i++) {
      query.setParameter(i + 1, parameters.get(i));
    }
    return query;
  }
}
