package io.integrationengine.fakes;

import io.integrationengine.core.queues.StageQueue;
import java.util.ArrayList;
import java.util.List;

/** A {@link StageQueue} that keeps what was handed on, and fails when told to. */
public class RecordingStageQueue implements StageQueue {

  public final List<String> toRouting = new ArrayList<>();
  public boolean down;

  @Override
  public void toRouting(String messageId) {
    if (down) {
      throw new IllegalStateException("broker unreachable");
    }
    toRouting.add(messageId);
  }
}
