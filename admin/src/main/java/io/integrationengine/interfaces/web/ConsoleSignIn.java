package io.integrationengine.interfaces.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.OpenIdAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.openid.ClaimsDefinition;

/**
 * The pages' one authentication mechanism: OpenID Connect (authorization code) against the
 * engine's identity provider, client {@code engine-admin}. Roles come from the top-level
 * {@code groups} claim and map one to one (see {@code glassfish-web.xml}); after signing in the
 * user lands on the page first asked for. Tokens are refreshed when they expire. The identity
 * provider's keys are fetched with a timeout of 10 s, not the specification's 500 ms: a provider
 * slow to answer once (a busy machine, a provider just started) failed the sign-in, and the user
 * was left on an empty page.
 */
@ApplicationScoped
@DeclareRoles({"admin", "operator", "auditor"})
@OpenIdAuthenticationMechanismDefinition(
    providerURI = "${oidcSettings.providerUri}",
    clientId = "${oidcSettings.clientId}",
    clientSecret = "${oidcSettings.clientSecret}",
    redirectURI = "${baseURL}/Callback",
    redirectToOriginalResource = true,
    tokenAutoRefresh = true,
    jwksConnectTimeout = 10_000,
    jwksReadTimeout = 10_000,
    claimsDefinition = @ClaimsDefinition(callerNameClaim = "preferred_username", callerGroupsClaim = "groups"))
public class ConsoleSignIn {}
