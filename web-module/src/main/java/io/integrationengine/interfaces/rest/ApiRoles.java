package io.integrationengine.interfaces.rest;

/**
 * The roles the REST API knows, as they arrive in the bearer token's top-level {@code groups}
 * claim (mapped one to one in {@code glassfish-web.xml}). Readers see messages and configuration;
 * actors also change what happens to messages; senders only post messages in.
 */
public final class ApiRoles {

  /** Everything. */
  public static final String ADMIN = "admin";

  /** Reads, and acts on messages: replay, discard. */
  public static final String OPERATOR = "operator";

  /** Reads metadata, content (each view audited) and the audit trail; never acts. */
  public static final String AUDITOR = "auditor";

  /** Systems posting to the FHIR intake and the convert endpoints (client credentials). */
  public static final String SENDER = "sender";

  private ApiRoles() {}
}
