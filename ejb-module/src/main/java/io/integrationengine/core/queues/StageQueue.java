package io.integrationengine.core.queues;

/**
 * Hands stored messages to the pipeline's stages (Jakarta Messaging queues). Sends join the
 * caller's transaction, so a message is handed on only if its storing commits.
 */
public interface StageQueue {

  /** Queues a stored message for the routing stage. */
  void toRouting(String messageId);
}
