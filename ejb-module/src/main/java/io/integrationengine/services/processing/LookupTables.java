package io.integrationengine.services.processing;

import java.util.Optional;

/**
 * Named key/value tables for enrichment and dynamic routing (JNDI custom resources
 * {@code engine/tables/<name>} in the engine; a map in tests).
 */
public interface LookupTables {

  /** True if a table of that name is configured. */
  boolean exists(String table);

  /** The value for {@code key} in {@code table}, empty when the table or the key is missing. */
  Optional<String> lookup(String table, String key);
}
