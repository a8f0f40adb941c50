package io.integrationengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What an operator sees through the domain's administration (asadmin and the admin console share
 * the same management API): the application, its route resources, its JMS and JDBC resources.
 */
class AdministrationIT {

  private final EngineUnderTest engine = EngineUnderTest.get();

  @Test
  void theApplicationIsDeployedWithItsConnectorEjbAndWebModules() {
    assertThat(engine.asadmin("list-applications", "--long")).contains("integration-engine").contains("connector").contains("ejb").contains("web");
  }

  @Test
  void routesAndDestinationsAreCustomResources() {
    assertThat(engine.asadmin("list-custom-resources")).contains("engine/routes/adt").contains("engine/destinations/adt-files");
  }

  @Test
  void theStageQueueAndTheStoreAreDomainResources() {
    assertThat(engine.asadmin("list-jms-resources")).contains("jms/engine/RouteQueue").contains("jms/engine/ConnectionFactory");
    assertThat(engine.asadmin("list-jdbc-resources")).contains("jdbc/engine");
  }

  @Test
  void aRouteCanBeChangedLikeInTheAdminConsole() {
    String property = "resources.custom-resource.engine/routes/adt.property.description";
    engine.asadmin("set", property + "=changed by AdministrationIT");
    assertThat(engine.asadmin("get", property)).contains("changed by AdministrationIT");
  }
}
