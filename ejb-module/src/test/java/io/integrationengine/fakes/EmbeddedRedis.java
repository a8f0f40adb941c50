package io.integrationengine.fakes;

import java.io.IOException;
import java.net.ServerSocket;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.embedded.RedisServer;

/** A real Redis server on a free loopback port, without persistence, and a Redisson client on it: for tests of the engine's Redis scripts and keys. */
public final class EmbeddedRedis implements AutoCloseable {

  private final RedisServer server;
  private final RedissonClient client;

  private EmbeddedRedis(RedisServer server, RedissonClient client) {
    this.server = server;
    this.client = client;
  }

  public static EmbeddedRedis start() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    server.start();
    Config config = new Config();
    config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
    return new EmbeddedRedis(server, Redisson.create(config));
  }

  public RedissonClient client() {
    return client;
  }

  @Override
  public void close() throws IOException {
    client.shutdown();
    server.stop();
  }
}
