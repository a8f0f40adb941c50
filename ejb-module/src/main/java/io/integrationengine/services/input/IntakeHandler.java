package io.integrationengine.services.input;

import io.integrationengine.core.model.ContentType;

/**
 * Takes messages of one format from any channel: reads and validates them, stores them through
 * {@link MessageIntake}, and builds the format's answer. Duplicate detection belongs here, since
 * only the format knows what identifies a resend (HL7v2: sender and MSH-10). A new format is a new
 * handler.
 */
public interface IntakeHandler {

  /** The content type this handler stores. */
  ContentType contentType();

  /** Handles one message; never throws for bad input, which gets a negative result saying why. */
  IntakeResult receive(Received received);
}
