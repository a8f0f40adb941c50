package io.integrationengine.core.queues;

import io.integrationengine.core.config.EngineSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The application's one Redisson client, created at start-up and shut down on undeploy. If Redis
 * is not reachable at start-up the application still deploys; the client is created on first use
 * and until then callers get an exception they can retry on.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// no transaction of its own: each call on the singleton began and committed one
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class RedisConnection {

  private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());

  /**
   * Redisson's I/O threads (its default: 32). Each of the pool's connections belongs to one; with
   * many, nearly every command woke a sleeping thread to write it and again to read its answer.
   */
  static final int NETTY_THREADS = 2;

  private final EngineSettings settings = EngineSettings.load();
  private volatile RedissonClient client;

  @PostConstruct
  void connect() {
    try {
      client();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Redis at " + settings.redisAddress() + " not reachable yet; delivery waits for it", e);
    }
  }

  /** The client; connects first if it is not connected yet. */
  public RedissonClient client() {
    RedissonClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          Config config = new Config();
          // fail fast when Redis is away: intake's duplicate check must not hold a sender for long,
          // and delivery retries on its next tick anyway
          var server = config.useSingleServer();
          if (settings.redisPassword() != null && !settings.redisPassword().isBlank()) {
            server.setPassword(settings.redisPassword());
          }
          server
              .setAddress(settings.redisAddress())
              .setConnectionMinimumIdleSize(2)
              .setConnectionPoolSize(16)
              .setConnectTimeout(3000)
              .setTimeout(2000)
              .setRetryAttempts(1)
              .setRetryInterval(500);
          // Redisson's Netty threads need to load Redisson's classes: give them the application's loader
          config.setUseThreadClassLoader(false);
          config.setNettyThreads(NETTY_THREADS);
          c = Redisson.create(config);
          client = c;
          LOG.info(() -> "Connected to Redis at " + settings.redisAddress());
        }
      }
    }
    return c;
  }

  public EngineSettings settings() {
    return settings;
  }

  @PreDestroy
  void shutdown() {
    RedissonClient c = client;
    if (c != null) {
      c.shutdown();
      LOG.info("Redis client shut down");
    }
  }
}
