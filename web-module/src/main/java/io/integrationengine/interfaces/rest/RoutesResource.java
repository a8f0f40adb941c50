package io.integrationengine.interfaces.rest;

import io.integrationengine.core.queues.DeliveryQueues;
import io.integrationengine.services.routing.DestinationDefinition;
import io.integrationengine.services.routing.RouteDefinition;
import io.integrationengine.services.routing.RouteRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The routes and destinations as the engine currently sees them, with each destination's queue depths. */
@Path("/")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RoutesResource {

  @Inject
  RouteRegistry registry;

  @Inject
  DeliveryQueues queues;

  /** A route as loaded from {@code engine/routes/<name>}. */
  public record Route(String name, boolean enabled, List<String> messageTypes, List<String> destinations) {
    static Route of(RouteDefinition r) {
      return new Route(r.name(), r.enabled(), r.messageTypes(), r.destinations());
    }
  }

  /** A destination and its queue: tasks ready, waiting for a retry, dead-lettered. */
  public record Destination(String name, String type, int maxAttempts, Map<String, String> settings, Long ready, Long retrying, Long dead, String queueError) {}

  @GET
  @Path("routes")
  public List<Route> routes() {
    return registry.routes().stream().map(Route::of).sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  @GET
  @Path("destinations")
  public List<Destination> destinations() {
    return new TreeMap<>(registry.destinations()).values().stream().map(this::describe).toList();
  }

  private Destination describe(DestinationDefinition d) {
    try {
      return new Destination(d.name(), d.type(), d.retry().maxAttempts(), d.settings(), queues.readyCount(d.name()), queues.delayedCount(d.name()), queues.deadCount(d.name()), null);
    } catch (RuntimeException e) {
      return new Destination(d.name(), d.type(), d.retry().maxAttempts(), d.settings(), null, null, null, "queue unavailable: " + e.getMessage());
    }
  }
}
