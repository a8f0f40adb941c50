package io.integrationengine.services.processing.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The conformance resources an intake validates against beyond base R4, read from the files its
 * configuration names: a StructureDefinition file (JSON or XML) is <em>enforced</em> on every
 * resource of its type; a FHIR package ({@code .tgz}) makes its profiles, value sets and code
 * systems known, so a resource that claims one of them in {@code meta.profile} is checked against
 * it, and {@code enforce} may name any of them by canonical URL to apply it to every resource of its
 * type.
 *
 * @param files what was read, for messages and cache keys
 * @param resources every conformance resource read (StructureDefinitions, ValueSets, CodeSystems)
 * @param enforced canonical URLs by the resource type they constrain
 */
public record FhirProfiles(List<Path> files, List<IBaseResource> resources, Map<String, List<String>> enforced) {

  public static final FhirProfiles NONE = new FhirProfiles(List.of(), List.of(), Map.of());

  public FhirProfiles {
    files = List.copyOf(files);
    resources = List.copyOf(resources);
    enforced = Collections.unmodifiableMap(new LinkedHashMap<>(enforced));
  }

  /** The canonical URLs every resource of {@code resourceType} must conform to. */
  public List<String> enforcedOn(String resourceType) {
    return enforced.getOrDefault(resourceType, List.of());
  }

  /**
   * Reads the files and resolves {@code enforce}.
   *
   * @throws IllegalArgumentException when a file is missing or unreadable, is not a
   *     StructureDefinition or package, or an enforced URL is in none of them; the message says which
   */
  public static FhirProfiles read(FhirContext context, List<Path> files, List<String> enforce) {
    List<IBaseResource> resources = new ArrayList<>();
    Map<String, List<String>> enforced = new LinkedHashMap<>();
    Map<String, String> typeByUrl = new LinkedHashMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      try {
        if (name.endsWith(".tgz")) {
          for (IBaseResource resource : readPackage(context, file)) {
            resources.add(resource);
            if (resource instanceof StructureDefinition sd && sd.hasUrl()) {
              typeByUrl.put(sd.getUrl(), sd.getType());
            }
          }
        } else {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          IBaseResource resource = name.endsWith(".xml") ? context.newXmlParser().parseResource(text) : context.newJsonParser().parseResource(text);
          if (!(resource instanceof StructureDefinition sd) || !sd.hasUrl() || !sd.hasType()) {
            throw new IllegalArgumentException("FHIR profile " + file + " is not a StructureDefinition with a url and a type");
          }
          resources.add(sd);
          typeByUrl.put(sd.getUrl(), sd.getType());
          enforced.computeIfAbsent(sd.getType(), t -> new ArrayList<>()).add(sd.getUrl());
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("FHIR profile " + file + " cannot be read: " + e.getMessage(), e);
      } catch (DataFormatException e) {
        throw new IllegalArgumentException("FHIR profile " + file + " is not FHIR R4: " + e.getMessage(), e);
      }
    }
    for (String url : enforce) {
      String type = typeByUrl.get(url);
      if (type == null) {
        throw new IllegalArgumentException("enforced profile " + url + " is in none of the files " + files);
      }
      List<String> urls = enforced.computeIfAbsent(type, t -> new ArrayList<>());
      if (!urls.contains(url)) {
        urls.add(url);
      }
    }
    return new FhirProfiles(files, resources, enforced);
  }

  /** The conformance resources of an NPM FHIR package (its {@code package/} folder). */
  private static List<IBaseResource> readPackage(FhirContext context, Path file) throws IOException {
    NpmPackage npm;
    try (InputStream in = Files.newInputStream(file)) {
      npm = NpmPackage.fromPackage(in);
    }
    List<IBaseResource> read = new ArrayList<>();
    for (String entry : npm.list("package")) {
      if (!entry.endsWith(".json") || entry.equals("package.json") || entry.startsWith(".")) {
        continue;
      }
      try (InputStream in = npm.load("package", entry)) {
        IBaseResource resource = context.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        String type = context.getResourceType(resource);
        if (type.equals("StructureDefinition") || type.equals("ValueSet") || type.equals("CodeSystem")) {
          read.add(resource);
        }
      } catch (DataFormatException e) {
        // examples and other files a package may carry that are not resources: not conformance resources either
      }
    }
    return read;
  }
}
