package io.integrationengine.services.processing;

import io.integrationengine.core.model.Content;

/** A prepared transform: takes content, returns the content for the next step or the connector. */
@FunctionalInterface
public interface TransformStep {

  /** @throws TransformException when this content cannot be transformed (the delivery is dead-lettered with the reason) */
  Content apply(Content input) throws TransformException;
}
