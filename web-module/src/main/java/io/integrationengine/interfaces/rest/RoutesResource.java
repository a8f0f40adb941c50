package io.integrationengine.interfaces.rest;

import io.integrationengine.core.queues.DeliveryQueue;
import io.integrationengine.services.input.ChannelRegistry;
import io.integrationengine.services.input.file.FolderChannels;
import io.integrationengine.services.input.file.sftp.SftpChannelState;
import io.integrationengine.services.input.file.sftp.SftpChannels;
import io.integrationengine.services.input.file.sftp.SftpPoller;
import io.integrationengine.services.output.DestinationDefinition;
import io.integrationengine.services.output.DestinationRegistry;
import io.integrationengine.services.routing.RouteDefinition;
import io.integrationengine.services.routing.RouteRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes and destinations as the engine currently sees them, with each destination's queue
 * depths; definitions that do not validate are listed too, with {@code valid: false} and the
 * reason, so an analyst sees at once why a route does nothing.
 */
@Path("/")
@RequestScoped
@RolesAllowed({ApiRoles.AUDITOR, ApiRoles.OPERATOR, ApiRoles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class RoutesResource {

  @Inject
  RouteRegistry routes;

  @Inject
  DestinationRegistry destinations;

  @Inject
  DeliveryQueue queues;

  @Inject
  ChannelRegistry channels;

  @Inject
  FolderChannels fileChannels;

  @Inject
  SftpChannels sftpChannels;

  @Inject
  SftpPoller sftpPoller;

  /**
   * A route as loaded from {@code engine/routes/<name>}.
   *
   * @param transforms the chain per destination ({@code *} for the route's default)
   * @param orderBy the operand whose value orders deliveries per key; null when the route orders nothing
   */
  public record Route(String name, boolean valid, String error, boolean enabled, List<String> messageTypes, String condition, List<String> destinations, String destinationFrom,
      String destinationTable, Map<String, String> transforms, String orderBy) {
    static Route of(RouteDefinition r) {
      Map<String, String> transforms = new TreeMap<>();
      if (!r.transforms().isEmpty()) {
        transforms.put("*", r.transforms().toString());
      }
      r.transformsByDestination().forEach((d, chain) -> transforms.put(d, chain.toString()));
      return new Route(r.name(), true, null, r.enabled(), r.messageTypes(), r.conditionText(), r.destinations(), r.destinationFrom(), r.destinationTable(), transforms, r.orderBy());
    }

    static Route invalid(String name, String error) {
      return new Route(name, false, error, false, List.of(), null, List.of(), null, null, Map.of(), null);
    }
  }

  /** A destination and its queue: tasks ready, waiting for a retry, dead-lettered. */
  public record Destination(String name, boolean valid, String error, String type, Integer maxAttempts, Map<String, String> settings, Long ready, Long retrying, Long held,
      Long dead, String queueError) {}

  @GET
  @Path("routes")
  public List<Route> routes() {
    List<Route> all = new ArrayList<>();
    routes.routes().forEach(r -> all.add(Route.of(r)));
    routes.invalid().forEach((name, error) -> all.add(Route.invalid(name, error)));
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /**
   * A channel's settings ({@code engine/channels/<id>}): its conformance profiles by message type;
   * {@code type} {@code folder} or {@code sftp} for file channels (none for MLLP listeners and the
   * FHIR intake); for an SFTP channel, how its polling goes ({@code poll}).
   */
  public record Channel(String name, boolean valid, String error, String type, Map<String, String> profiles, SftpPoll poll) {}

  /**
   * An SFTP channel's polling: {@code state} {@code waiting} (not polled yet), {@code ok}, {@code error}
   * ({@code detail} says why) or {@code disabled}; times as ISO-8601 instants, null when there was none.
   */
  public record SftpPoll(String state, String detail, String lastPoll, String lastSuccessfulPoll, long filesTaken) {
    static SftpPoll of(SftpChannelState s) {
      return new SftpPoll(s.condition().name().toLowerCase(Locale.ROOT), s.detail(), s.lastPoll() == null ? null : s.lastPoll().toString(),
          s.lastSuccessfulPoll() == null ? null : s.lastSuccessfulPoll().toString(), s.filesTaken());
    }
  }

  /** A lookup table ({@code engine/tables/<name>}) and how many entries it has. */
  public record Table(String name, int entries) {}

  /**
   * Every channel, valid or not: a file channel is invalid when its profiles, its file settings
   * ({@link FolderChannels}) or its SFTP settings ({@link SftpChannels}) do not check.
   */
  @GET
  @Path("channels")
  public List<Channel> channels() {
    Map<String, String> errors = new TreeMap<>(channels.invalid());
    sftpChannels.invalid().forEach(errors::putIfAbsent);
    fileChannels.invalid().forEach(errors::putIfAbsent);
    Map<String, SftpChannelState> polls = sftpPoller.states();
    List<Channel> all = new ArrayList<>();
    channels.valid().forEach((name, c) -> {
      if (errors.containsKey(name)) {
        return;
      }
      Map<String, String> profiles = new TreeMap<>();
      c.profiles().forEach(p -> profiles.put(p.messageType(), p.toString()));
      String type = polls.containsKey(name) ? "sftp" : fileChannels.watchesFolder(name) ? "folder" : null;
      all.add(new Channel(name, true, null, type, profiles, polls.containsKey(name) ? SftpPoll.of(polls.get(name)) : null));
    });
    errors.forEach((name, error) -> all.add(new Channel(name, false, error, null, Map.of(), null)));
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  @GET
  @Path("tables")
  public List<Table> tables() {
    return routes.tables().entrySet().stream().map(e -> new Table(e.getKey(), e.getValue().size())).sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  @GET
  @Path("destinations")
  public List<Destination> destinations() {
    List<Destination> all = new ArrayList<>(new TreeMap<>(destinations.destinations()).values().stream().map(this::describe).toList());
    destinations.invalid().forEach((name, error) -> all.add(new Destination(name, false, error, null, null, Map.of(), null, null, null, null, null)));
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  private Destination describe(DestinationDefinition d) {
    try {
      return new Destination(d.name(), true, null, d.type(), d.retry().maxAttempts(), d.settings(), queues.readyCount(d.name()), queues.delayedCount(d.name()),
          queues.heldCount(d.name()), queues.deadCount(d.name()), null);
    } catch (RuntimeException e) {
      return new Destination(d.name(), true, null, d.type(), d.retry().maxAttempts(), d.settings(), null, null, null, null, "queue unavailable: " + e.getMessage());
    }
  }
}
