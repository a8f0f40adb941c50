package io.integrationengine.services.input;

import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.core.queues.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@link DuplicateGuard} in Redis: remembers, so that every server instance sees it,
 * which control ids (MSH-10) each sender (MSH-3 and MSH-4) has sent within the window ({@code engine.dedup.windowSeconds},
 * default 600; 0 turns it off). A resend of a stored message is acknowledged again without being
 * processed twice; a resend of one still being stored is asked to try again later.
 *
 * <p>If Redis cannot be reached the message is processed: a possible duplicate is better than a
 * lost message.
 */
@ApplicationScoped
public class RedisDuplicateGuard implements DuplicateGuard {

  private static final Logger LOG = Logger.getLogger(RedisDuplicateGuard.class.getName());
  private static final String PENDING = "pending:";
  private static final String STORED = "stored:";

  @Inject
  RedisConnection redis;

  private final Duration window = EngineSettings.load().duplicateWindow();

  /** The connection's client, asked for once (a call on the {@code RedisConnection} EJB costs its interceptors). */
  private volatile RedissonClient connected;

  private RedissonClient client() {
    RedissonClient c = connected;
    if (c == null) {
      c = redis.client();
      connected = c;
    }
    return c;
  }

  /** Claims the sender's control id for {@code messageId}, unless it was claimed within the window. */
  @Override
  public Verdict claim(String sendingApplication, String sendingFacility, String controlId, String messageId) {
    if (window.isZero() || controlId == null || controlId.isBlank()) {
      return new First(null);
    }
    String key = "engine:dedup:" + sendingApplication + "|" + sendingFacility + "|" + controlId;
    try {
      RBucket<String> bucket = client().getBucket(key, StringCodec.INSTANCE);
      if (bucket.setIfAbsent(PENDING + messageId, window)) {
        return new First(key);
      }
      String existing = bucket.get();
      if (existing == null) {
        // expired between the two calls: try once more
        return bucket.setIfAbsent(PENDING + messageId, window) ? new First(key) : new InProgress("?");
      }
      return existing.startsWith(STORED) ? new AlreadyStored(existing.substring(STORED.length())) : new InProgress(existing.substring(PENDING.length()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Duplicate check unavailable (Redis); processing control id " + controlId + " without it", e);
      return new First(null);
    }
  }

  /**
   * The message was stored: resends within the window are acknowledged, not processed. Written
   * before the ACK goes out (waiting for Redis's answer), so a sender that resends an acknowledged
   * message, at once or later, is acknowledged again; written without waiting, a resend right after
   * the ACK could reach Redis first and be asked to try again later (MllpListenerIT saw it).
   */
  @Override
  public void stored(First claim, String messageId) {
    if (claim.key() == null) {
      return;
    }
    try {
      client().<String>getBucket(claim.key(), StringCodec.INSTANCE).set(STORED + messageId, window);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record control id of stored message " + messageId + " for duplicate detection", e);
    }
  }

  /** The message was not stored: a resend must be processed. */
  @Override
  public void forget(First claim, String messageId) {
    if (claim.key() == null) {
      return;
    }
    try {
      client().<String>getBucket(claim.key(), StringCodec.INSTANCE).compareAndSet(PENDING + messageId, null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not release control id of message " + messageId + "; a resend within the window will be asked to retry", e);
    }
  }
}
