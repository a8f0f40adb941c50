package io.integrationengine.fakes;

import io.integrationengine.core.queues.StageQueue;
import java.util.ArrayList;
import java.util.List;

/** A {@link StageQueue} that keeps what was handed on, and fails when told to. */
public class RecordingStageQueue implements StageQueue {

  /** Every id handed on, in order. */
  public final List<String> toRouting = new ArrayList<>();
  /** The hand-overs, each a list of ids. */
  public final List<List<String>> handOvers = new ArrayList<>();
  public boolean down;

  @Override
  public void toRouting(List<String> messageIds) {
    if (down) {
      throw new IllegalStateException("broker unreachable");
    }
    handOvers.add(List.copyOf(messageIds));
    toRouting.addAll(messageIds);
  }
}
