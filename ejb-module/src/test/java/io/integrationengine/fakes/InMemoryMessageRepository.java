package io.integrationengine.fakes;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.MessageRepository;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link MessageRepository} in a map, for stage tests. */
public class InMemoryMessageRepository implements MessageRepository {

  public final Map<String, StoredMessage> stored = new LinkedHashMap<>();
  /** While true, storing fails as a database that is down does. */
  public boolean down;

  @Override
  public void add(StoredMessage message) {
    if (down) {
      throw new IllegalStateException("database unreachable");
    }
    if (stored.putIfAbsent(message.getId(), message) != null) {
      throw new IllegalStateException("duplicate key " + message.getId());
    }
  }

  @Override
  public Optional<StoredMessage> find(String id) {
    return Optional.ofNullable(stored.get(id));
  }

  @Override
  public List<StoredMessage> findAll(Collection<String> ids) {
    if (down) {
      throw new IllegalStateException("database unreachable");
    }
    return ids.stream().distinct().map(stored::get).filter(m -> m != null).map(InMemoryMessageRepository::copy).toList();
  }

  @Override
  public Set<String> saveStatuses(Collection<StoredMessage> changed, MessageStatus expected) {
    if (down) {
      throw new IllegalStateException("database unreachable");
    }
    Set<String> saved = new LinkedHashSet<>();
    for (StoredMessage m : changed) {
      StoredMessage kept = stored.get(m.getId());
      if (kept != null && kept.getStatus() == expected) {
        kept.changeStatus(m.getStatus(), m.getStatusDetail());
        saved.add(m.getId());
      }
    }
    return saved;
  }

  /** What a read from a database gives: a message of its own, whose changes are not saved until {@link #saveStatuses}. */
  private static StoredMessage copy(StoredMessage original) {
    try {
      Constructor<StoredMessage> constructor = StoredMessage.class.getDeclaredConstructor();
      constructor.setAccessible(true);
      StoredMessage copy = constructor.newInstance();
      for (Field field : StoredMessage.class.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object value = field.get(original);
        field.set(copy, value instanceof List<?> list ? new ArrayList<>(list) : value);
      }
      return copy;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<StoredMessage> latest(MessageStatus status, int limit) {
    return stored.values().stream().filter(m -> status == null || m.getStatus() == status)
        .sorted(Comparator.comparing(StoredMessage::getReceivedAt).reversed()).limit(limit).toList();
  }

  @Override
  public List<StoredMessage> search(Search search, int limit) {
    return stored.values().stream()
        .filter(m -> search.controlId() == null || search.controlId().equals(m.getControlId()))
        .filter(m -> search.status() == null || search.status() == m.getStatus())
        .filter(m -> search.channel() == null || search.channel().equals(m.getChannel()))
        .filter(m -> search.messageType() == null || m.getMessageType() != null && m.getMessageType().startsWith(search.messageType()))
        .filter(m -> search.patient() == null || m.attribute("patientId").contains(search.patient()) || m.attribute("patientIdentifier").contains(search.patient()))
        .sorted(Comparator.comparing(StoredMessage::getReceivedAt).reversed()).limit(limit).toList();
  }

  @Override
  public List<StoredMessage> withControlId(String controlId, int limit) {
    return stored.values().stream().filter(m -> controlId.equals(m.getControlId())).limit(limit).toList();
  }

  @Override
  public List<StoredMessage> withAttribute(String name, String value, int limit) {
    return stored.values().stream().filter(m -> m.attribute(name).contains(value)).limit(limit).toList();
  }

  @Override
  public List<String> claimWaitingForRouting(OffsetDateTime before, int limit) {
    List<String> ids = new ArrayList<>();
    stored.values().stream().filter(m -> m.getStatus() == MessageStatus.RECEIVED && m.getQueuedAt().isBefore(before)).limit(limit).forEach(m -> ids.add(m.getId()));
    return ids;
  }
}
