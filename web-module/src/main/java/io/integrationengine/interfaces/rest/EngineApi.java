package io.integrationengine.interfaces.rest;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The engine's REST API, under {@code /api}. Callers bring a bearer token (MicroProfile JWT) from
 * the engine's identity provider; resources say which of {@link ApiRoles} may call them. A CDI
 * bean, so that Payara's MicroProfile JWT extension finds {@code @LoginConfig} (the module's bean
 * discovery is annotated-only).
 */
@ApplicationScoped
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({ApiRoles.ADMIN, ApiRoles.OPERATOR, ApiRoles.AUDITOR, ApiRoles.SENDER})
public class EngineApi extends Application {}
