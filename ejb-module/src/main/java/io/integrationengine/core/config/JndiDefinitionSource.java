package io.integrationengine.core.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;

/** {@link DefinitionSource} reading the JNDI custom resources {@code engine/<kind>/<name>} of type {@code java.util.Properties}. */
@ApplicationScoped
public class JndiDefinitionSource implements DefinitionSource {

  private static final Logger LOG = Logger.getLogger(JndiDefinitionSource.class.getName());

  @Override
  public Map<String, Properties> definitions(String kind, Map<String, String> unreadable) {
    String context = "engine/" + kind;
    Map<String, Properties> found = new LinkedHashMap<>();
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
          if (bound instanceof Properties properties) {
            found.put(name, properties);
          } else {
            unreadable.put(name, context + "/" + name + " is a " + bound.getClass().getName() + ", expected java.util.Properties");
          }
        } catch (NamingException | RuntimeException e) {
          unreadable.put(name, context + "/" + name + " cannot be read: " + e.getMessage());
        }
      }
    } catch (NameNotFoundException e) {
      LOG.fine(() -> "No " + context + " defined");
    } catch (NamingException e) {
      LOG.log(Level.WARNING, "Could not list " + context, e);
    }
    return found;
  }
}
