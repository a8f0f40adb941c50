package io.integrationengine.fakes;

import io.integrationengine.services.input.DuplicateGuard;
import java.util.HashMap;
import java.util.Map;

/** A {@link DuplicateGuard} in a map, without a window. */
public class InMemoryDuplicateGuard implements DuplicateGuard {

  private final Map<String, String> claims = new HashMap<>();

  @Override
  public Verdict claim(String sendingApplication, String sendingFacility, String controlId, String messageId) {
    String key = sendingApplication + "|" + sendingFacility + "|" + controlId;
    String existing = claims.putIfAbsent(key, "pending:" + messageId);
    if (existing == null) {
      return new First(key);
    }
    return existing.startsWith("stored:") ? new AlreadyStored(existing.substring(7)) : new InProgress(existing.substring(8));
  }

  @Override
  public void stored(First claim, String messageId) {
    claims.put(claim.key(), "stored:" + messageId);
  }

  @Override
  public void forget(First claim, String messageId) {
    claims.remove(claim.key());
  }
}
