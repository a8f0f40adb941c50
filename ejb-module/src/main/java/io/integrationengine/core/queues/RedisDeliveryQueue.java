package io.integrationengine.core.queues;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import org.redisson.api.RList;
import java.util.Map;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@link DeliveryQueue} in Redis, through Redisson, shared by every server instance. Keys, per
 * destination ({@code engine:dq:<destination>:} then):
 *
 * <ul>
 *   <li>{@code ready:<lane>} tasks waiting, oldest at the tail (pushed at the head, taken from the tail)
 *   <li>{@code inflight:<lane>:<instance>} tasks an instance is working on; moved there atomically
 *       when taken, so a crash leaves them there to be recovered, not lost
 *   <li>{@code delayed} tasks waiting for their retry time (score = due time in epoch millis)
 *   <li>{@code blocked} ordering key -> id of the failed task that blocks it
 *   <li>{@code held:<key>} tasks of a blocked key, waiting for the blocking task to finish
 *   <li>{@code dead} tasks that failed for good
 * </ul>
 *
 * A stored task is {@code <lane>:} followed by {@link DeliveryTask#encode()}, whose task id and
 * ordering key come first, so the Lua scripts that move tasks atomically can read them. Every
 * operation is one round trip: a batch of tasks is claimed, and settled, by one script.
 */
@ApplicationScoped
public class RedisDeliveryQueue implements DeliveryQueue {

  /** Reads lane, task id and ordering key of a stored task; tasks queued by earlier versions go to lane 0, unordered. */
  private static final String PARSE =
      "local function parse(t) "
          + "local lane, id, key = string.match(t, '^(%d+):t2|([^|]*)|([^|]*)|') "
          + "if not lane then return '0', '', '' end "
          + "return lane, id, key end ";

  /** KEYS: one ready list per task; ARGV: the tasks. */
  private static final String ENQUEUE = "for i = 1, #KEYS do redis.call('lpush', KEYS[i], ARGV[i]) end return #KEYS";

  /** KEYS: blocked, then per lane its ready and in-flight lists; ARGV: max, prefix. Returns the tasks claimed. */
  private static final String CLAIM = PARSE
      + "local out = {} local max = tonumber(ARGV[1]) local seen = 0 "
      + "for k = 2, #KEYS, 2 do "
      + "  while #out < max and seen < max * 4 do "
      + "    local t = redis.call('rpop', KEYS[k]) "
      + "    if not t then break end "
      + "    seen = seen + 1 "
      + "    local lane, id, key = parse(t) "
      + "    local blocker = false "
      + "    if key ~= '' then blocker = redis.call('hget', KEYS[1], key) end "
      + "    if blocker and blocker ~= id then redis.call('lpush', ARGV[2] .. 'held:' .. key, t) "
      + "    else redis.call('lpush', KEYS[k + 1], t) out[#out + 1] = t end "
      + "  end "
      + "end "
      + "return out";

  /**
   * KEYS: delayed, dead, blocked; ARGV: prefix, instance, then per task: outcome, stored task, next
   * stored task, due time. A finished task that blocked its key releases the key's held tasks to
   * the front of their lane, oldest first.
   */
  private static final String SETTLE = PARSE
      + "local prefix = ARGV[1] "
      + "for i = 3, #ARGV, 4 do "
      + "  local outcome, t, nxt, due = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3] "
      + "  local lane, id, key = parse(t) "
      + "  redis.call('lrem', prefix .. 'inflight:' .. lane .. ':' .. ARGV[2], 1, t) "
      + "  if outcome == 'retry' then "
      + "    redis.call('zadd', KEYS[1], due, nxt) "
      + "    if key ~= '' then redis.call('hset', KEYS[3], key, id) end "
      + "  elseif outcome == 'hold' then "
      + "    redis.call('lpush', prefix .. 'held:' .. key, t) "
      + "  else "
      + "    if outcome == 'dead' then redis.call('lpush', KEYS[2], nxt) end "
      + "    if key ~= '' and redis.call('hget', KEYS[3], key) == id then "
      + "      redis.call('hdel', KEYS[3], key) "
      + "      local held = redis.call('lrange', prefix .. 'held:' .. key, 0, -1) "
      + "      for j = 1, #held do local l = parse(held[j]) redis.call('rpush', prefix .. 'ready:' .. l, held[j]) end "
      + "      redis.call('del', prefix .. 'held:' .. key) "
      + "    end "
      + "  end "
      + "end "
      + "return 1";

  /** KEYS: delayed; ARGV: prefix, now, limit, lanes. Moves due tasks to their lanes; returns the lanes with ready tasks. */
  private static final String PROMOTE = PARSE
      + "local due = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3])) "
      + "for _, t in ipairs(due) do redis.call('zrem', KEYS[1], t) local l = parse(t) redis.call('lpush', ARGV[1] .. 'ready:' .. l, t) end "
      + "local busy = {} "
      + "for l = 0, tonumber(ARGV[4]) - 1 do if redis.call('llen', ARGV[1] .. 'ready:' .. l) > 0 then busy[#busy + 1] = l end end "
      + "return busy";

  /**
   * KEYS: the in-flight lists to recover (oldest at the tail), and the lists earlier versions
   * used; ARGV: prefix. Tasks go back to the tail of their lane, so they are taken first, in order.
   */
  private static final String RECOVER = PARSE
      + "local n = 0 "
      + "for k = 1, #KEYS do "
      + "  local tasks = redis.call('lrange', KEYS[k], 0, -1) "
      + "  for j = 1, #tasks do local l = parse(tasks[j]) redis.call('rpush', ARGV[1] .. 'ready:' .. l, tasks[j]) n = n + 1 end "
      + "  redis.call('del', KEYS[k]) "
      + "end "
      + "return n";

  /** KEYS: blocked; ARGV: prefix. The number of held tasks. */
  private static final String HELD = "local n = 0 for _, key in ipairs(redis.call('hkeys', KEYS[1])) do n = n + redis.call('llen', ARGV[1] .. 'held:' .. key) end return n";

  /** KEYS: the ready lanes. */
  private static final String READY = "local n = 0 for k = 1, #KEYS do n = n + redis.call('llen', KEYS[k]) end return n";

  /**
   * ARGV: instance, lanes, then one prefix per destination. Per destination: ready, delayed, this
   * instance's in-flight, held, dead.
   */
  private static final String DEPTHS = "local out = {} local lanes = tonumber(ARGV[2]) "
      + "for i = 3, #ARGV do "
      + "  local p = ARGV[i] local ready, inflight, held = 0, 0, 0 "
      + "  for l = 0, lanes - 1 do "
      + "    ready = ready + redis.call('llen', p .. 'ready:' .. l) "
      + "    inflight = inflight + redis.call('llen', p .. 'inflight:' .. l .. ':' .. ARGV[1]) "
      + "  end "
      + "  for _, key in ipairs(redis.call('hkeys', p .. 'blocked')) do held = held + redis.call('llen', p .. 'held:' .. key) end "
      + "  out[#out + 1] = ready out[#out + 1] = redis.call('zcard', p .. 'delayed') out[#out + 1] = inflight "
      + "  out[#out + 1] = held out[#out + 1] = redis.call('llen', p .. 'dead') "
      + "end "
      + "return out";

  private static final int PROMOTE_LIMIT = 500;

  @Inject
  RedisConnection redis;

  /** Set for tests; otherwise the application's connection and instance id. */
  private RedissonClient testClient;
  private String testInstance;

  public RedisDeliveryQueue() {}

  /** For tests against a Redis server of their own. */
  public RedisDeliveryQueue(RedissonClient client, String instanceId) {
    this.testClient = client;
    this.testInstance = instanceId;
  }

  @Override
  public void enqueue(Collection<DeliveryTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    List<Object> keys = new ArrayList<>(tasks.size());
    Object[] values = new Object[tasks.size()];
    int i = 0;
    for (DeliveryTask task : tasks) {
      int lane = DeliveryQueue.laneOf(task);
      keys.add(prefix(task.destination()) + "ready:" + lane);
      values[i++] = stored(lane, task);
    }
    script().eval(RScript.Mode.READ_WRITE, ENQUEUE, RScript.ReturnType.INTEGER, keys, values);
  }

  @Override
  public List<Claimed> claim(String destination, List<Integer> lanes, int max) {
    String prefix = prefix(destination);
    List<Object> keys = new ArrayList<>(1 + 2 * lanes.size());
    keys.add(prefix + "blocked");
    for (int lane : lanes) {
      keys.add(prefix + "ready:" + lane);
      keys.add(inflightName(destination, lane));
    }
    List<Object> raw = script().eval(RScript.Mode.READ_WRITE, CLAIM, RScript.ReturnType.MULTI, keys, String.valueOf(max), prefix);
    List<Claimed> claimed = new ArrayList<>(raw.size());
    for (Object t : raw) {
      String text = (String) t;
      claimed.add(new Claimed(text, decodeStored(text)));
    }
    return claimed;
  }

  @Override
  public void settle(String destination, List<Settlement> settlements) {
    if (settlements.isEmpty()) {
      return;
    }
    String prefix = prefix(destination);
    List<Object> args = new ArrayList<>(2 + settlements.size() * 4);
    args.add(prefix);
    args.add(instanceId());
    for (Settlement s : settlements) {
      String raw = s.claimed().raw();
      if (s instanceof Retry r) {
        args.addAll(List.of("retry", raw, stored(laneOfStored(raw), r.next()), String.valueOf(r.dueAtMillis())));
      } else if (s instanceof Dead d) {
        args.addAll(List.of("dead", raw, stored(laneOfStored(raw), d.last()), "0"));
      } else if (s instanceof Hold) {
        args.addAll(List.of("hold", raw, "", "0"));
      } else {
        args.addAll(List.of("done", raw, "", "0"));
      }
    }
    script().eval(RScript.Mode.READ_WRITE, SETTLE, RScript.ReturnType.INTEGER,
        List.of(prefix + "delayed", prefix + "dead", prefix + "blocked"), args.toArray());
  }

  @Override
  public List<Integer> promoteDue(String destination) {
    List<Object> busy = script().eval(RScript.Mode.READ_WRITE, PROMOTE, RScript.ReturnType.MULTI, List.of(prefix(destination) + "delayed"),
        prefix(destination), String.valueOf(System.currentTimeMillis()), String.valueOf(PROMOTE_LIMIT), String.valueOf(LANES));
    List<Integer> lanes = new ArrayList<>(busy.size());
    busy.forEach(l -> lanes.add(((Number) l).intValue()));
    return lanes;
  }

  @Override
  public int recoverInflight(String destination, int lane) {
    List<Object> keys = new ArrayList<>();
    keys.add(inflightName(destination, lane));
    if (lane == 0) {
      // where earlier versions kept a destination's tasks: they join lane 0
      keys.add(prefix(destination) + "inflight:" + instanceId());
      keys.add(prefix(destination) + "ready");
    }
    Long recovered = script().eval(RScript.Mode.READ_WRITE, RECOVER, RScript.ReturnType.INTEGER, keys, prefix(destination));
    return recovered == null ? 0 : recovered.intValue();
  }

  @Override
  public long readyCount(String destination) {
    List<Object> keys = new ArrayList<>();
    for (int lane = 0; lane < LANES; lane++) {
      keys.add(prefix(destination) + "ready:" + lane);
    }
    Long n = script().eval(RScript.Mode.READ_ONLY, READY, RScript.ReturnType.INTEGER, keys);
    return n == null ? 0 : n;
  }

  @Override
  public long delayedCount(String destination) {
    return client().getScoredSortedSet(prefix(destination) + "delayed", StringCodec.INSTANCE).size();
  }

  @Override
  public long deadCount(String destination) {
    return client().getList(prefix(destination) + "dead", StringCodec.INSTANCE).size();
  }

  @Override
  public long heldCount(String destination) {
    Long n = script().eval(RScript.Mode.READ_ONLY, HELD, RScript.ReturnType.INTEGER, List.of(prefix(destination) + "blocked"), prefix(destination));
    return n == null ? 0 : n;
  }

  @Override
  public List<DeliveryTask> deadLetters(String destination, int limit) {
    // lpush: the newest is first
    return client().<String>getList(prefix(destination) + "dead", StringCodec.INSTANCE).range(0, Math.max(0, limit - 1)).stream()
        .map(RedisDeliveryQueue::decodeStored).toList();
  }

  @Override
  public List<DeliveryTask> removeDead(String destination, Collection<String> messageIds) {
    RList<String> dead = client().getList(prefix(destination) + "dead", StringCodec.INSTANCE);
    List<DeliveryTask> removed = new ArrayList<>();
    for (String stored : dead.readAll()) {
      DeliveryTask task = decodeStored(stored);
      // LREM of the exact entry: a dead letter added meanwhile is left alone
      if ((messageIds == null || messageIds.contains(task.messageId())) && dead.remove(stored)) {
        removed.add(task);
      }
    }
    return removed;
  }

  @Override
  public Map<String, Depth> depths(Collection<String> destinations) {
    Map<String, Depth> depths = new LinkedHashMap<>();
    if (destinations.isEmpty()) {
      return depths;
    }
    List<Object> args = new ArrayList<>(2 + destinations.size());
    args.add(instanceId());
    args.add(String.valueOf(LANES));
    destinations.forEach(d -> args.add(prefix(d)));
    List<Object> raw = script().eval(RScript.Mode.READ_ONLY, DEPTHS, RScript.ReturnType.MULTI, List.of(), args.toArray());
    int i = 0;
    for (String d : destinations) {
      depths.put(d, new Depth(n(raw.get(i)), n(raw.get(i + 1)), n(raw.get(i + 2)), n(raw.get(i + 3)), n(raw.get(i + 4))));
      i += 5;
    }
    return depths;
  }

  private static long n(Object value) {
    return ((Number) value).longValue();
  }

  /** A task as stored: its lane, then its compact form. */
  static String stored(int lane, DeliveryTask task) {
    return lane + ":" + task.encode();
  }

  /** Reads a stored task; one queued by an earlier version has no lane. */
  static DeliveryTask decodeStored(String text) {
    int colon = laneEnd(text);
    return DeliveryTask.decode(colon < 0 ? text : text.substring(colon + 1));
  }

  private static int laneOfStored(String text) {
    int colon = laneEnd(text);
    return colon < 0 ? 0 : Integer.parseInt(text.substring(0, colon));
  }

  /** Where the lane prefix ({@code <lane>:}) of a stored task ends, or -1 for a task without one. */
  private static int laneEnd(String text) {
    int colon = text.indexOf(':');
    return colon > 0 && colon < 4 && text.chars().limit(colon).allMatch(Character::isDigit) ? colon : -1;
  }

  /**
   * The connection's client, asked for once: each call on {@code RedisConnection} (an EJB) goes
   * through the container's interceptors, about 5% of the engine's CPU when every Redis operation
   * asked for it. The client does not change until the application stops.
   */
  private volatile RedissonClient connected;

  private volatile String instance;

  private RedissonClient client() {
    if (testClient != null) {
      return testClient;
    }
    RedissonClient c = connected;
    if (c == null) {
      c = redis.client();
      connected = c;
    }
    return c;
  }

  private String instanceId() {
    if (testInstance != null) {
      return testInstance;
    }
    String i = instance;
    if (i == null) {
      i = redis.settings().instanceId();
      instance = i;
    }
    return i;
  }

  private RScript script() {
    return client().getScript(StringCodec.INSTANCE);
  }

  private String inflightName(String destination, int lane) {
    return prefix(destination) + "inflight:" + lane + ":" + instanceId();
  }

  private static String prefix(String destination) {
    return "engine:dq:" + destination + ":";
  }
}
