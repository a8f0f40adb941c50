package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./engine start} does to a stopped domain whose applications' files changed since their
 * deploy (a rebuild, an upgrade): it disables the changed ones in the domain's {@code domain.xml}
 * before starting it, so that the domain does not load the old copy by itself (a deploy over a copy
 * the domain had just loaded raced with that load: the new copy's API refused every bearer token, or
 * the deploy failed). The script is sourced by a bash of its own, without starting anything, and its
 * step {@code disable_changed_applications} runs on a domain directory made here.
 */
class EngineScriptRedeployTest {

  private static final String APPLICATION_REFS = """
      <servers>
        <server config-ref="server-config" name="server">
          <application-ref ref="integration-engine" virtual-servers="server"></application-ref>
          <application-ref ref="engine-admin" virtual-servers="server"></application-ref>
        </server>
      </servers>
      """;

  @TempDir
  Path var;

  private Path domain;
  private Path ear;
  private Path war;

  @BeforeEach
  void domain() throws Exception {
    domain = Files.createDirectories(var.resolve("domains/engine"));
    Files.createDirectories(domain.resolve("config"));
    Files.writeString(domain.resolve("config/domain.xml"), APPLICATION_REFS);
    ear = Files.writeString(var.resolve("integration-engine.ear"), "the EAR as deployed");
    war = Files.writeString(var.resolve("admin.war"), "the pages as deployed");
    Files.writeString(domain.resolve(".engine-ear-md5"), md5(ear) + "\n");
    Files.writeString(domain.resolve(".engine-pages-md5"), md5(war) + "\n");
  }

  private static String md5(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
  }

  private String disableChanged() throws Exception {
    Path script = Path.of(System.getProperty("engine.script", "../engine")).toAbsolutePath().normalize();
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", "source \"$ENGINE_SCRIPT_SOURCED\"; disable_changed_applications \"$DOMAINS_DIR/$ENGINE_DOMAIN\"")
        .redirectErrorStream(true);
    bash.environment().keySet().removeIf(name -> name.startsWith("ENGINE_"));
    bash.environment().put("ENGINE_SCRIPT_SOURCED", script.toString());
    bash.environment().put("ENGINE_VAR", var.toString());
    bash.environment().put("ENGINE_EAR", ear.toString());
    bash.environment().put("ENGINE_PAGES_WAR", war.toString());
    Process process = bash.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the step ends").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void anUnchangedDomainIsLeftAsItIs() throws Exception {
    disableChanged();

    assertThat(Files.readString(domain.resolve("config/domain.xml"))).isEqualTo(APPLICATION_REFS);
  }

  @Test
  void aRebuiltEarIsDisabledBeforeTheDomainStartsAndThePagesAreNot() throws Exception {
    Files.writeString(ear, "the EAR of a new build");

    String output = disableChanged();

    assertThat(output).contains("integration-engine changed since it was deployed (or has no record of it): the domain starts without its old copy");
    String config = Files.readString(domain.resolve("config/domain.xml"));
    assertThat(config).contains("<application-ref enabled=\"false\" ref=\"integration-engine\" virtual-servers=\"server\">")
        .contains("<application-ref ref=\"engine-admin\" virtual-servers=\"server\">");
    // a second start before the deploy (it failed, say) does not add the attribute twice
    disableChanged();
    assertThat(Files.readString(domain.resolve("config/domain.xml"))).isEqualTo(config);
  }

  @Test
  void aDomainDeployedByAnEarlierVersionHasNoRecordAndIsDisabledOnce() throws Exception {
    Files.delete(domain.resolve(".engine-ear-md5"));

    String output = disableChanged();

    assertThat(output).contains("integration-engine changed since it was deployed (or has no record of it)");
    assertThat(Files.readString(domain.resolve("config/domain.xml")))
        .contains("<application-ref enabled=\"false\" ref=\"integration-engine\" virtual-servers=\"server\">")
        .contains("<application-ref ref=\"engine-admin\" virtual-servers=\"server\">");
  }

  @Test
  void aFreshDomainWithoutTheApplicationsIsLeftAsItIs() throws Exception {
    Files.writeString(domain.resolve("config/domain.xml"), "<servers></servers>\n");
    Files.delete(domain.resolve(".engine-ear-md5"));

    disableChanged();

    assertThat(Files.readString(domain.resolve("config/domain.xml"))).isEqualTo("<servers></servers>\n");
  }
}
