package io.integrationengine.fhirrepository;

import ca.uhn.fhir.context.FhirContext;
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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.OperationOutcome;
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

  /** Why the repository could not start, or null: then it answers 503 and the engine runs on. */
  private volatile String unavailable;

  @Override
  protected void initialize() throws ServletException {
    long started = System.nanoTime();
    String jndiName = getInitParameter("dataSource") == null ? "jdbc/fhir" : getInitParameter("dataSource");
    try {
      DataSource dataSource = (DataSource) new InitialContext().lookup(jndiName);
      spring = start(dataSource);
      configure(this, spring);
    } catch (NamingException | RuntimeException e) {
      // the engine does not need its repository to run: a domain made before it has no jdbc/fhir
      unavailable = e instanceof NamingException
          ? "its JDBC resource " + jndiName + " is not defined (a domain created before the repository; './engine reset' recreates it with one)"
          : "it could not start on " + jndiName + ": " + e.getMessage();
      LOG.log(Level.SEVERE, "The FHIR repository (/fhir) is unavailable: " + unavailable, e);
      return;
    }
    LOG.info(() -> "FHIR repository (R4) ready on " + jndiName + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    if (unavailable != null) {
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setContentType("application/fhir+json;charset=UTF-8");
      OperationOutcome outcome = new OperationOutcome();
      outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.FATAL).setCode(OperationOutcome.IssueType.TRANSIENT)
          .setDiagnostics("The FHIR repository is unavailable: " + unavailable);
      response.getWriter().write(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome));
      return;
    }
    super.service(request, response);
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
