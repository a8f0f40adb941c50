package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.AuditAction;
import io.integrationengine.core.model.AuditEntry;
import io.integrationengine.core.services.AuditTrail;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/** Who is calling, as the audit trail names them: the token's user or client, and the address the request came from. */
@RequestScoped
public class Caller {

  @Inject
  HttpServletRequest request;

  @Inject
  AuditTrail audit;

  public String name() {
    Principal principal = request.getUserPrincipal();
    return principal == null ? null : principal.getName();
  }

  public String address() {
    return request.getRemoteAddr();
  }

  /** Appends to the audit trail; committed before this returns, so nothing audited is shown or done unrecorded. */
  public void audit(AuditAction action, String subject, String detail) {
    audit.record(new AuditEntry(name(), action, subject, detail, address()));
  }
}
