package io.integrationengine.core.queues;

import java.util.List;

/**
 * Hands stored messages to the pipeline's stages (Jakarta Messaging queues), several in one
 * message: the stages work in batches. Called after the messages' storing has committed; a failed
 * hand-over is made good by routing recovery.
 */
public interface StageQueue {

  /** Queues stored messages for the routing stage, together. */
  void toRouting(List<String> messageIds);
}
