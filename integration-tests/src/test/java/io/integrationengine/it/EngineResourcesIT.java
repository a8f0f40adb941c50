package io.integrationengine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.jms.Queue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Properties;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside the server (Arquillian, remote Payara connector): the domain set up from config/ has the
 * resources the engine runs on, where an operator finds them in the admin console.
 */
@ExtendWith(ArquillianExtension.class)
class EngineResourcesIT {

  @Deployment
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "engine-resources-probe.war").addClass(EngineResourcesIT.class);
  }

  @Resource(lookup = "jdbc/engine")
  DataSource store;

  @Test
  void theDemoRouteIsACustomResourceInJndi() throws Exception {
    Properties route = (Properties) new InitialContext().lookup("engine/routes/adt");
    assertEquals("ADT", route.getProperty("messageTypes"));
    assertEquals("adt-files", route.getProperty("destinations"));
    Properties destination = (Properties) new InitialContext().lookup("engine/destinations/adt-files");
    assertEquals("file", destination.getProperty("type"));
  }

  @Test
  void theRouteQueueIsAnOpenMqQueue() throws Exception {
    Queue queue = (Queue) new InitialContext().lookup("jms/engine/RouteQueue");
    assertEquals("EngineRouteQueue", queue.getQueueName());
  }

  @Test
  void theMessageStoreHasItsTables() throws Exception {
    try (Connection connection = store.getConnection()) {
      // H2 keeps unquoted names in upper case, PostgreSQL in lower case
      String pattern = connection.getMetaData().storesLowerCaseIdentifiers() ? "engine_%" : "ENGINE_%";
      int found = 0;
      try (ResultSet tables = connection.getMetaData().getTables(null, null, pattern, new String[] {"TABLE"})) {
        while (tables.next()) {
          String name = tables.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT);
          if (name.equals("ENGINE_ENVELOPE") || name.equals("ENGINE_CONTENT") || name.equals("ENGINE_ATTRIBUTE") || name.equals("ENGINE_DELIVERY")) {
            found++;
          }
        }
      }
      assertTrue(found == 4, "ENGINE_ENVELOPE, ENGINE_CONTENT, ENGINE_ATTRIBUTE and ENGINE_DELIVERY exist");
    }
  }
}
