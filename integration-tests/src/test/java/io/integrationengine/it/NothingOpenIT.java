package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine as {@code ./engine start} leaves it opens nothing to the network and nothing without
 * credentials: every socket the server, Redis and Keycloak listen on is on loopback; the management API wants
 * the generated admin password; the broker refuses its factory default users; Redis refuses a client
 * without its password.
 */
class NothingOpenIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void everyListeningSocketOfTheServerAndRedisIsOnLoopback() throws IOException {
    Map<String, String> state = engine.state();
    long server = Long.parseLong(Files.readString(engine.domainDir().resolve("config/pid")).strip());
    long redis = Long.parseLong(Files.readString(engine.var().resolve("redis/redis.pid")).strip());

    List<Long> pids = new ArrayList<>(List.of(server, redis));
    // Keycloak, when the engine started one: kc.sh and the JVM it runs
    Path keycloak = engine.var().resolve("keycloak/keycloak.pid");
    if (Files.exists(keycloak)) {
      long kc = Long.parseLong(Files.readString(keycloak).strip());
      pids.add(kc);
      Path children = Path.of("/proc/" + kc + "/task/" + kc + "/children");
      if (Files.exists(children)) {
        for (String child : Files.readString(children).trim().split("\\s+")) {
          if (!child.isEmpty()) {
            pids.add(Long.parseLong(child));
          }
        }
      }
    }

    List<String> listening = new ArrayList<>();
    for (long pid : pids) {
      Set<String> inodes = socketInodes(pid);
      for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
        // read once: the table changes between two reads on a busy machine
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          // f[1] local address, f[3] state (0A = LISTEN), f[9] inode
          if (f[3].equals("0A") && inodes.contains(f[9])) {
            listening.add(pid + " " + f[1]);
          }
        }
      }
    }

    assertThat(listening).as("listening sockets of the server and Redis").hasSizeGreaterThanOrEqualTo(5);
    assertThat(listening).as("listening sockets (pid, hex address:port) of %s", state.get("ENGINE_DOMAIN"))
        .allSatisfy(socket -> assertThat(isLoopback(socket.split(" ")[1].split(":")[0])).as(socket).isTrue());
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return inodes;
  }

  /** 127.0.0.0/8, ::1, or ::ffff:127.x.x.x, as /proc/net writes them (little-endian words). */
  private static boolean isLoopback(String hex) {
    if (hex.length() == 8) {
      return hex.endsWith("7F");
    }
    return hex.equals("00000000000000000000000001000000") || (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"));
  }

  @Test
  void theManagementApiWantsTheGeneratedAdminPassword() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + engine.adminPort() + "/management/domain/applications/list-applications");
    HttpRequest anonymous = HttpRequest.newBuilder(uri).header("Accept", "application/json").timeout(Duration.ofSeconds(20)).build();
    String basic = Base64.getEncoder().encodeToString(("admin:" + engine.adminPassword()).getBytes(StandardCharsets.UTF_8));
    HttpRequest administrator = HttpRequest.newBuilder(uri).header("Accept", "application/json").header("Authorization", "Basic " + basic)
        .timeout(Duration.ofSeconds(20)).build();
    String wrong = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    HttpRequest guessing = HttpRequest.newBuilder(uri).header("Accept", "application/json").header("Authorization", "Basic " + wrong)
        .timeout(Duration.ofSeconds(20)).build();

    assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    assertThat(http.send(guessing, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    HttpResponse<String> allowed = http.send(administrator, HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).contains("integration-engine");
  }

  @Test
  void theBrokerRefusesItsFactoryDefaultUsers() throws IOException {
    int brokerPort = Integer.parseInt(engine.state().get("ENGINE_PORTBASE")) + 76;
    for (String user : new String[] {"admin", "guest"}) {
      Path passfile = Files.createTempFile("imq", ".pass");
      try {
        Files.writeString(passfile, "imq.imqcmd.password=" + user + "\n");
        Map.Entry<Integer, String> result = EngineUnderTest.exec(List.of(engine.var().resolve("payara6/mq/bin/imqcmd").toString(),
            "list", "dst", "-b", "127.0.0.1:" + brokerPort, "-u", user, "-passfile", passfile.toString()), Map.of());

        assertThat(result.getKey()).as("imqcmd exit code as %s/%s: %s", user, user, result.getValue()).isNotZero();
        assertThat(result.getValue()).as("refused for its credentials, not for being unreachable").containsIgnoringCase("check your username and/or password");
      } finally {
        Files.delete(passfile);
      }
    }
  }

  @Test
  void redisRefusesAClientWithoutThePassword() throws IOException {
    URI redis = URI.create(engine.state().get("ENGINE_REDIS_ADDRESS"));
    try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[64];
      int n = in.read(answer);
      assertThat(new String(answer, 0, n, StandardCharsets.US_ASCII)).startsWith("-NOAUTH");
    }
  }
}
