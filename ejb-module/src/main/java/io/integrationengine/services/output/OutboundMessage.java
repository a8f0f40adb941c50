package io.integrationengine.services.output;

import io.integrationengine.core.model.Content;

/**
 * What a connector sends: the content after the route's transforms, with the ids that name the
 * message in files, logs and delivery records.
 *
 * @param controlId the sender's control id (MSH-10), or null
 */
public record OutboundMessage(String messageId, String controlId, Content content) {}
