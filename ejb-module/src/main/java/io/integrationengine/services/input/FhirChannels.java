package io.integrationengine.services.input;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import io.integrationengine.core.config.EngineSettings;
import io.integrationengine.services.processing.fhir.FhirConversion;
import io.integrationengine.services.processing.fhir.FhirProfiles;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FHIR profiles each FHIR intake channel ({@code engine/channels/<id>}) validates against:
 * {@code fhirProfiles}, comma-separated StructureDefinition files or FHIR packages ({@code .tgz}),
 * absolute or relative to {@code engine.config.dir}; {@code fhirEnforce}, comma-separated
 * canonical URLs from those packages to apply to every resource of their type. A channel without
 * them validates against base R4 only. The files are read again only when one changed, so the
 * validator built for them (seconds of work) is kept.
 */
@ApplicationScoped
public class FhirChannels {

  /** The channel of {@code /api/fhir}: its configuration name, and how stored messages show it. */
  public static final String DEFAULT = "fhir-rest";
  public static final String DEFAULT_SHOWN = "fhir:rest";

  @Inject
  DefinitionSource source;

  @Inject
  FhirConversion conversion;

  private Path configDirectory;
  private Definitions<FhirProfiles> channels;
  private final Map<String, FhirProfiles> read = new ConcurrentHashMap<>();

  public FhirChannels() {}

  /** For tests. */
  public FhirChannels(DefinitionSource source, FhirConversion conversion, Path configDirectory) {
    this.source = source;
    this.conversion = conversion;
    this.configDirectory = configDirectory;
    init();
  }

  @PostConstruct
  void init() {
    if (configDirectory == null) {
      configDirectory = EngineSettings.load().configDirectory();
    }
    channels = new Definitions<>(source, "channels", this::parse);
  }

  /**
   * The channel's profiles; none beyond base R4 when it has no definition.
   *
   * @throws IllegalStateException when its definition is invalid, with the reason
   */
  public FhirProfiles profiles(String channelId) {
    Definitions.Snapshot<FhirProfiles> current = channels.current();
    String invalid = current.invalid().get(channelId);
    if (invalid != null) {
      throw new IllegalStateException("channel '" + channelId + "' is misconfigured: " + invalid);
    }
    return current.valid().getOrDefault(channelId, FhirProfiles.NONE);
  }

  private FhirProfiles parse(String id, Properties properties) {
    List<Path> files = list(properties.getProperty("fhirProfiles")).stream().map(configDirectory::resolve).toList();
    List<String> enforce = list(properties.getProperty("fhirEnforce"));
    if (files.isEmpty()) {
      if (!enforce.isEmpty()) {
        throw new IllegalArgumentException("fhirEnforce names profiles but fhirProfiles names no file holding them");
      }
      return FhirProfiles.NONE;
    }
    StringBuilder key = new StringBuilder(String.join(",", enforce));
    for (Path file : files) {
      key.append('|').append(file).append('@').append(modified(file));
    }
    return read.computeIfAbsent(key.toString(), k -> FhirProfiles.read(conversion.context(), files, enforce));
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }

  private static List<String> list(String written) {
    return written == null ? List.of() : Arrays.stream(written.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
