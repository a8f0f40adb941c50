package io.integrationengine.fhirrepository;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.batch2.jobs.config.BatchCommonCtx;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The Spring configuration of the built-in FHIR repository: HAPI's JPA server for R4 on the
 * {@link DataSource} bean its creator registers (the JNDI resource {@code jdbc/fhir} in the
 * server, an in-memory database in tests). Only what a plain FHIR store needs is on: no
 * subscriptions, no bulk export or import, no Hibernate Search (identifier, name, birthdate and
 * {@code _lastUpdated} are indexed by HAPI's own search tables), no narratives.
 * {@link SubscriptionChannelConfig} and {@link ThreadPoolFactoryConfig} are imported because
 * beans of the JPA configuration ask for their factories even with subscriptions off.
 */
@Configuration
@Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, BatchCommonCtx.class, SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
public class FhirRepositoryConfig {

  @Bean
  public JpaStorageSettings storageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    // ids and versions like any FHIR server's; clients may PUT their own ids
    settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
    settings.setAllowMultipleDelete(false);
    settings.setExpungeEnabled(false);
    settings.setAdvancedHSearchIndexing(false);
    settings.setHibernateSearchIndexFullText(false);
    settings.setHibernateSearchIndexSearchParams(false);
    settings.setEnableTaskBulkExportJobExecution(false);
    settings.setEnableTaskBulkImportJobExecution(false);
    settings.setEnableTaskResourceReindexing(false);
    settings.setAutoCreatePlaceholderReferenceTargets(true);
    settings.setAllowInlineMatchUrlReferences(true);
    return settings;
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    // no subscription types supported: the repository matches no subscriptions
    return new SubscriptionSettings();
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  @Primary
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext,
      JpaStorageSettings storageSettings, DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean factory = HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("fhir-repository");
    factory.setDataSource(dataSource);
    factory.setJpaProperties(jpaProperties(dataSource));
    return factory;
  }

  @Bean
  @Primary
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  private static Properties jpaProperties(DataSource dataSource) {
    Properties properties = new Properties();
    properties.put("hibernate.dialect", dialect(dataSource));
    // the schema is created on the first start and extended on later ones, never dropped
    properties.put("hibernate.hbm2ddl.auto", "update");
    properties.put("hibernate.format_sql", "false");
    properties.put("hibernate.show_sql", "false");
    properties.put("hibernate.jdbc.batch_size", "20");
    properties.put("hibernate.cache.use_query_cache", "false");
    properties.put("hibernate.cache.use_second_level_cache", "false");
    properties.put("hibernate.cache.use_structured_entries", "false");
    properties.put("hibernate.cache.use_minimal_puts", "false");
    properties.put("hibernate.search.enabled", "false");
    // Hibernate must not look for entities in the archive itself: HAPI lists them
    properties.put("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
    return properties;
  }

  /**
   * On PostgreSQL the pool names the repository's schema ({@code currentSchema}, first on the
   * search path); it is created here on the first start, so the domain setup needs no SQL client.
   */
  private static void createSchema(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      String schema;
      try (ResultSet path = statement.executeQuery("SHOW search_path")) {
        path.next();
        schema = path.getString(1).split(",")[0].strip().replace("\"", "");
      }
      if (!schema.isEmpty() && !schema.equals("$user") && !schema.equals("public")) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema.replace("\"", "") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("The FHIR repository could not create its schema on PostgreSQL (jdbc/fhir): " + e.getMessage(), e);
    }
  }

  /** HAPI's dialect for the database behind the pool: H2 (the default) or PostgreSQL. */
  static String dialect(DataSource dataSource) {
    String product;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new IllegalStateException("The FHIR repository cannot reach its database (jdbc/fhir): " + e.getMessage(), e);
    }
    if (product.toLowerCase().contains("postgres")) {
      createSchema(dataSource);
      return HapiFhirPostgresDialect.class.getName();
    }
    if (product.toLowerCase().contains("h2")) {
      return HapiFhirH2Dialect.class.getName();
    }
    throw new IllegalStateException("The FHIR repository runs on H2 or PostgreSQL; jdbc/fhir is " + product);
  }
}
