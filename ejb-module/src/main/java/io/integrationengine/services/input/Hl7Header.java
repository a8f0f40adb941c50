package io.integrationengine.services.input;

import io.integrationengine.core.model.Attributes;
import io.integrationengine.core.model.MessageAttribute;
import java.util.ArrayList;
import java.util.List;

/**
 * What intake reads from an HL7v2 message: the MSH fields that decide the answer and identify a
 * resend, and the attributes stored for search and routing.
 *
 * @param attributes MSH-3/4/5/6/9/10/12, PID-3 identifiers, PID-5 name (see {@link Attributes})
 */
public record Hl7Header(String sendingApplication, String sendingFacility, String controlId, String messageType, String acceptAckType, String applicationAckType,
    List<MessageAttribute> attributes) {

  /** Builds the attributes from the values read; nulls and empty values are left out. */
  static List<MessageAttribute> attributes(String... nameValuePairs) {
    List<MessageAttribute> read = new ArrayList<>();
    for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
      String value = nameValuePairs[i + 1];
      if (value != null && !value.isBlank()) {
        read.add(new MessageAttribute(nameValuePairs[i], value));
      }
    }
    return read;
  }
}
