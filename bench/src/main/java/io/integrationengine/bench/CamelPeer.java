package io.integrationengine.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The peer of {@code bench/compare}: an Apache Camel route {@code mllp://127.0.0.1:PORT -> file:DIR}
 * in a JVM of its own. Each message becomes one file, named after its MSH-10 (the exchange id when
 * MSH-10 is empty) with the extension {@code .hl7}. The MLLP component's defaults are kept: it
 * acknowledges automatically (autoAck=true), and it does so once the route has run, that is once
 * the file is written (no store, no fsync). Only the connection limits are raised
 * ({@code maxConcurrentConsumers} 5 and {@code backlog} 5 by default would refuse a sixth sender).
 *
 * <pre>
 * java -cp bench/target/classes:CLASSPATH io.integrationengine.bench.CamelPeer --dir DIR
 *      [--port 0 (a free one)] [--host 127.0.0.1] [--max-connections 64]
 *      [--file-options tempFileName=.${file:name}.tmp] [--mllp-options stringPayload=false]
 *      [--watch-stdin]
 * </pre>
 *
 * When listening it prints {@code CAMEL_PEER_PORT=P} and {@code CAMEL_PEER_PID=PID} on lines of
 * their own. It stops on SIGTERM (or Ctrl-C), and with {@code --watch-stdin} also when its
 * standard input closes.
 */
public final class CamelPeer {

  public static void main(String[] args) throws Exception {
    // before Camel's first logger: slf4j-simple at WARN (Camel logs its start at INFO)
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    Map<String, String> options = MllpLoadGenerator.parse(args);
    if (options.containsKey("help")) {
      System.out.println("options: --dir DIR [--port P (0 = a free one)] [--host H] [--max-connections N] [--file-options K=V&..] [--mllp-options K=V&..] [--watch-stdin]");
      return;
    }
    String host = options.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(options.getOrDefault("port", "0"));
    if (port == 0) {
      port = freePort(host);
    }
    Path dir = Path.of(options.getOrDefault("dir", "bench/target/camel-out")).toAbsolutePath();
    Files.createDirectories(dir);
    int maxConnections = Integer.parseInt(options.getOrDefault("max-connections", "64"));
    String mllpUri = "mllp://" + host + ":" + port + "?maxConcurrentConsumers=" + maxConnections + "&backlog=" + maxConnections
        + extra(options.get("mllp-options"));
    String fileOptions = options.get("file-options");
    String fileUri = "file:" + dir + (fileOptions == null || fileOptions.isBlank() ? "" : "?" + fileOptions);

    CamelContext camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(5);
    camel.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from(mllpUri).routeId("mllp-to-file")
            .process(exchange -> {
              String controlId = exchange.getIn().getHeader("CamelMllpMessageControlId", String.class);
              String name = controlId == null || controlId.isBlank()
                  ? exchange.getExchangeId()
                  : controlId.replaceAll("[^A-Za-z0-9._-]", "_");
              exchange.getIn().setHeader(Exchange.FILE_NAME, name + ".hl7");
            })
            .to(fileUri);
      }
    });

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        camel.stop();
      } finally {
        stopped.countDown();
      }
    }, "camel-peer-stop"));
    camel.start();
    System.out.printf("Apache Camel %s: %s -> %s%n", camel.getVersion(), mllpUri, fileUri);
    System.out.println("CAMEL_PEER_PORT=" + port);
    System.out.println("CAMEL_PEER_PID=" + ProcessHandle.current().pid());
    System.out.flush();

    if (options.containsKey("watch-stdin")) {
      Thread watcher = new Thread(() -> {
        try (InputStream in = System.in) {
          while (in.read() != -1) {
            // ignore input, wait for its end
          }
        } catch (IOException ignored) {
          // a broken stdin ends the peer as well
        }
        System.exit(0);
      }, "camel-peer-stdin");
      watcher.setDaemon(true);
      watcher.start();
    }
    stopped.await();
  }

  private static String extra(String options) {
    return options == null || options.isBlank() ? "" : "&" + options;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    }
  }
}
