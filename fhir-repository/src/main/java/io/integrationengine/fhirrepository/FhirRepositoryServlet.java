package io.integrationengine.fhirrepository;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.servlet.ServletException;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource
 * providers of {@link FhirRepositoryConfig}, whose Spring context this servlet starts on the
 * JDBC resource named by the init parameter {@code dataSource} (default {@code jdbc/fhir}) and
 * closes when the module stops.
 */
public class FhirRepositoryServlet extends RestfulServer {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(FhirRepositoryServlet.class.getName());

  private transient AnnotationConfigApplicationContext spring;

  @Override
  protected void initialize() throws ServletException {
    long started = System.nanoTime();
    String jndiName = getInitParameter("dataSource") == null ? "jdbc/fhir" : getInitParameter("dataSource");
    DataSource dataSource;
    try {
      dataSource = (DataSource) new InitialContext().lookup(jndiName);
    } catch (NamingException e) {
      throw new ServletException("The FHIR repository's JDBC resource " + jndiName + " is not defined (the domain setup creates it)", e);
    }
    spring = start(dataSource);
    configure(this, spring);
    LOG.info(() -> "FHIR repository (R4) ready on " + jndiName + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  /** The repository's Spring context on {@code dataSource}. */
  static AnnotationConfigApplicationContext start(DataSource dataSource) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.setClassLoader(FhirRepositoryServlet.class.getClassLoader());
    context.registerBean("dataSource", DataSource.class, () -> dataSource);
    context.register(FhirRepositoryConfig.class);
    context.refresh();
    return context;
  }

  /** Registers the context's resource providers and settings on {@code server}. */
  static void configure(RestfulServer server, AnnotationConfigApplicationContext context) {
    IFhirSystemDao<?, ?> systemDao = context.getBean(IFhirSystemDao.class);
    server.setFhirContext(systemDao.getContext());
    systemDao.getContext().setNarrativeGenerator(new NullNarrativeGenerator());
    server.registerProviders(context.getBean(ResourceProviderFactory.class).createProviders());
    server.registerProvider(context.getBean(JpaSystemProvider.class));
    JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(server, systemDao, context.getBean(JpaStorageSettings.class),
        context.getBean(ISearchParamRegistry.class), context.getBean(IValidationSupport.class));
    server.setServerConformanceProvider(capabilities);
    server.setPagingProvider(context.getBean(DatabaseBackedPagingProvider.class));
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
  }

  @Override
  public void destroy() {
    super.destroy();
    if (spring != null) {
      spring.close();
    }
  }
}
