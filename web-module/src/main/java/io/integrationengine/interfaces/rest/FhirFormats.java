package io.integrationengine.interfaces.rest;

import io.integrationengine.core.model.ContentType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;

/** How the FHIR endpoints choose JSON or XML, for what they read and what they answer. */
final class FhirFormats {

  private FhirFormats() {}

  /** The answer's encoding: {@code _format}, then the first FHIR or plain JSON/XML type in Accept, else {@code fallback}. */
  static ContentType answer(String format, HttpHeaders headers, ContentType fallback) {
    if (format != null && !format.isBlank()) {
      return format.toLowerCase(Locale.ROOT).contains("xml") ? ContentType.FHIR_XML : ContentType.FHIR_JSON;
    }
    for (MediaType accepted : headers.getAcceptableMediaTypes()) {
      String subtype = accepted.getSubtype().toLowerCase(Locale.ROOT);
      if (subtype.equals("fhir+xml") || subtype.equals("xml")) {
        return ContentType.FHIR_XML;
      }
      if (subtype.equals("fhir+json") || subtype.equals("json")) {
        return ContentType.FHIR_JSON;
      }
    }
    return fallback;
  }

  /** What the body is: the Content-Type says (xml or json in its subtype), else its first character does. */
  static ContentType body(MediaType type, byte[] body) {
    if (type != null) {
      String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
      if (subtype.contains("xml")) {
        return ContentType.FHIR_XML;
      }
      if (subtype.contains("json")) {
        return ContentType.FHIR_JSON;
      }
    }
    int i = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf ? 3 : 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    return i < body.length && body[i] == '<' ? ContentType.FHIR_XML : ContentType.FHIR_JSON;
  }

  static String mediaType(ContentType encoding) {
    return encoding.mediaType() + ";charset=UTF-8";
  }
}
