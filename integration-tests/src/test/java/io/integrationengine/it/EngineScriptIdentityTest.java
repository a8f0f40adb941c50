package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./engine} script's choice of identity provider with {@code ENGINE_OIDC_ISSUER}, without
 * starting anything: the script is sourced (its settings and functions, no command) by a bash of
 * its own, with an {@code ENGINE_VAR} of its own whose Payara {@code asadmin} is a stand-in that
 * records its arguments and password files; then the identity steps of {@code ./engine start} run
 * in its order. Every integration test runs against the Keycloak the script starts; this is what
 * tells the script to start none and hand the domain the given provider.
 */
class EngineScriptIdentityTest {

  /** What {@code ./engine start} does about identity, in its order (between the domain's start and the deploy). */
  private static final String START_STEPS = "start_keycloak; wait_keycloak; set_identity_properties; write_identity_state; status_keycloak";

  @TempDir
  Path var;

  private Path asadminLog;

  @BeforeEach
  void payaraStandIn() throws IOException {
    Path bin = Files.createDirectories(var.resolve("payara6/bin"));
    asadminLog = var.resolve("asadmin.log");
    Path asadmin = bin.resolve("asadmin");
    Files.writeString(asadmin, """
        #!/usr/bin/env bash
        # records each call, and the password files it is given (create_alias passes the alias's value in one)
        {
          echo "asadmin $*"
          previous=
          for arg in "$@"; do
            [[ $previous == --passwordfile ]] && sed 's/^/  /' "$arg"
            previous=$arg
          done
        } >>"%s"
        """.formatted(asadminLog));
    Files.setPosixFilePermissions(asadmin, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path secrets = Files.createDirectories(var.resolve("secrets"));
    Files.writeString(secrets.resolve("engine-admin.passwordfile"), "AS_ADMIN_PASSWORD=domain-admin\n");
  }

  private record Run(int exit, String output) {}

  private Run source(Map<String, String> settings, String steps) throws Exception {
    Path script = Path.of(System.getProperty("engine.script", "../engine")).toAbsolutePath().normalize();
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", "source \"$ENGINE_SCRIPT_SOURCED\"; " + steps).redirectErrorStream(true);
    // only what the test sets: none of the caller's ENGINE_* settings
    bash.environment().keySet().removeIf(name -> name.startsWith("ENGINE_"));
    bash.environment().put("ENGINE_SCRIPT_SOURCED", script.toString());
    bash.environment().put("ENGINE_VAR", var.toString());
    bash.environment().putAll(settings);
    Process process = bash.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script's steps end").isTrue();
    return new Run(process.exitValue(), output);
  }

  private String asadminCalls() throws IOException {
    return Files.exists(asadminLog) ? Files.readString(asadminLog) : "";
  }

  @Test
  void anExistingIdentityProviderIsHandedToTheDomainAndNoKeycloakIsStarted() throws Exception {
    Run run = source(Map.of("ENGINE_OIDC_ISSUER", "https://idp.example/realms/engine", "ENGINE_OIDC_CLIENT_ID", "console-pages",
        "ENGINE_OIDC_CLIENT_SECRET", "pages-secret"), START_STEPS);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("using the identity provider at https://idp.example/realms/engine (none started)")
        .contains("identity provider: external, https://idp.example/realms/engine");
    // nothing of Keycloak: not unpacked, no realm, no generated secrets
    assertThat(var.resolve("keycloak")).doesNotExist();
    assertThat(var.resolve("secrets/oidc-engine-admin.secret")).doesNotExist();
    assertThat(var.resolve("secrets/oidc-engine-sender.secret")).doesNotExist();
    assertThat(var.resolve("secrets/keycloak-admin.password")).doesNotExist();
    String calls = asadminCalls();
    // the API verifies tokens of that issuer with its keys at Keycloak's path; the pages sign in there as the given client
    assertThat(calls).contains("create-system-properties mp.jwt.verify.issuer=https\\://idp.example/realms/engine"
        + ":mp.jwt.verify.publickey.location=https\\://idp.example/realms/engine/protocol/openid-connect/certs"
        + ":payara.security.openid.providerURI=https\\://idp.example/realms/engine:payara.security.openid.clientId=console-pages");
    // the pages' client secret goes into a password alias, passed in a password file, not on the command line
    assertThat(calls).contains("create-password-alias payara.security.openid.clientSecret\n  AS_ADMIN_PASSWORD=domain-admin\n  AS_ADMIN_ALIASPASSWORD=pages-secret\n")
        .doesNotContain("engine-sender-secret");
    assertThat(calls.lines().filter(line -> line.startsWith("asadmin "))).noneMatch(line -> line.contains("pages-secret"));
    // what later commands (stop, status) and the tests read: the issuer, and no sender secret file of Keycloak's
    assertThat(Files.readString(var.resolve("engine.env"))).contains("ENGINE_OIDC_ISSUER=https://idp.example/realms/engine\n")
        .contains("ENGINE_OIDC_SENDER_SECRET_FILE=\n");
  }

  @Test
  void theKeysAreWhereENGINE_OIDC_JWKSSaysAndTheClientIsEngineAdminByDefault() throws Exception {
    Run run = source(Map.of("ENGINE_OIDC_ISSUER", "https://login.example/tenant/v2.0", "ENGINE_OIDC_JWKS", "https://login.example/tenant/keys",
        "ENGINE_OIDC_SENDER_SECRET", "sender-secret"), START_STEPS);

    assertThat(run.exit()).as(run.output()).isZero();
    String calls = asadminCalls();
    assertThat(calls).contains("mp.jwt.verify.issuer=https\\://login.example/tenant/v2.0:mp.jwt.verify.publickey.location=https\\://login.example/tenant/keys:")
        .contains(":payara.security.openid.clientId=engine-admin");
    // no client secret given: none set (an alias of Keycloak's generated one would be wrong); the sender's is
    assertThat(calls).doesNotContain("payara.security.openid.clientSecret").contains("create-password-alias engine-sender-secret\n")
        .contains("AS_ADMIN_ALIASPASSWORD=sender-secret\n");
    assertThat(var.resolve("keycloak")).doesNotExist();
  }
}
