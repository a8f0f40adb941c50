package io.integrationengine.core.model;

import java.util.Locale;

/** What a message's bytes are: the envelope says it, so no stage has to guess. */
public enum ContentType {
  HL7V2_ER7("application/hl7-v2", "hl7"),
  HL7V2_XML("application/hl7-v2+xml", "xml"),
  FHIR_JSON("application/fhir+json", "json"),
  FHIR_XML("application/fhir+xml", "xml"),
  CSV_RECORD("text/csv", "csv"),
  BINARY("application/octet-stream", "bin");

  private final String mediaType;
  private final String extension;

  ContentType(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The file name extension a file destination uses unless it sets its own. */
  public String extension() {
    return extension;
  }

  /** Parses a configured name ({@code hl7v2_xml}, {@code HL7V2-XML}); a typo is an error that lists the valid names. */
  public static ContentType of(String name) {
    String normalized = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (ContentType type : values()) {
      if (type.name().equals(normalized)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown content type '" + name + "'; one of " + java.util.Arrays.toString(values()));
  }
}
