package io.integrationengine.services.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;

/**
 * The routes and destinations, read from JNDI custom resources ({@code engine/routes/*},
 * {@code engine/destinations/*}) and cached for a few seconds, so a change made in the admin
 * console takes effect without a redeploy. A definition that does not validate is logged and left
 * out; the others keep working.
 */
@ApplicationScoped
public class RouteRegistry {

  private static final Logger LOG = Logger.getLogger(RouteRegistry.class.getName());
  private static final long CACHE_MILLIS = 5_000;

  private record Snapshot(long readAt, Map<String, RouteDefinition> routes, Map<String, DestinationDefinition> destinations) {}

  private volatile Snapshot snapshot = new Snapshot(0, Map.of(), Map.of());

  public List<RouteDefinition> routes() {
    return List.copyOf(current().routes().values());
  }

  public Map<String, DestinationDefinition> destinations() {
    return current().destinations();
  }

  public Optional<DestinationDefinition> destination(String name) {
    return Optional.ofNullable(current().destinations().get(name));
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (System.currentTimeMillis() - s.readAt() > CACHE_MILLIS) {
      synchronized (this) {
        s = snapshot;
        if (System.currentTimeMillis() - s.readAt() > CACHE_MILLIS) {
          s = new Snapshot(System.currentTimeMillis(), read("engine/routes", RouteDefinition::from), read("engine/destinations", DestinationDefinition::from));
          snapshot = s;
        }
      }
    }
    return s;
  }

  private static <T> Map<String, T> read(String context, BiFunction<String, Properties, T> parse) {
    Map<String, T> definitions = new LinkedHashMap<>();
    try {
      InitialContext jndi = new InitialContext();
      List<String> names = new ArrayList<>();
      NamingEnumeration<NameClassPair> list = jndi.list(context);
      while (list.hasMore()) {
        names.add(list.next().getName());
      }
      Collections.sort(names);
      for (String name : names) {
        try {
          Object bound = jndi.lookup(context + "/" + name);
          if (!(bound instanceof Properties properties)) {
            throw new IllegalArgumentException("is a " + bound.getClass().getName() + ", expected java.util.Properties");
          }
          definitions.put(name, parse.apply(name, properties));
        } catch (NamingException | RuntimeException e) {
          LOG.warning(() -> "Skipping invalid definition " + context + "/" + name + ": " + e.getMessage());
        }
      }
    } catch (NameNotFoundException e) {
      LOG.fine(() -> "No " + context + " defined");
    } catch (NamingException e) {
      LOG.log(Level.WARNING, "Could not list " + context, e);
    }
    return Map.copyOf(definitions);
  }
}
