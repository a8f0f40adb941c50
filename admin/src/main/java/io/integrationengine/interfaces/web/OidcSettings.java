package io.integrationengine.interfaces.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the pages sign in: the identity provider's issuer and this client's id and secret, from
 * MicroProfile Config. {@code ./engine start} sets them as domain properties; the secret is the
 * password alias {@code payara.security.openid.clientSecret}, which Payara serves as a config property.
 */
@Named("oidcSettings")
@ApplicationScoped
public class OidcSettings {

  @Inject
  @ConfigProperty(name = "payara.security.openid.providerURI")
  String providerUri;

  @Inject
  @ConfigProperty(name = "payara.security.openid.clientId", defaultValue = "engine-admin")
  String clientId;

  @Inject
  @ConfigProperty(name = "payara.security.openid.clientSecret")
  String clientSecret;

  public String getProviderUri() {
    return providerUri;
  }

  public String getClientId() {
    return clientId;
  }

  public String getClientSecret() {
    return clientSecret;
  }
}
