package io.integrationengine.services.output.file;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.output.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file destination's {@code fileName}: literal text and placeholders, resolved per message.
 *
 * <ul>
 *   <li>{@code ${messageId}}: the engine's message id
 *   <li>{@code ${controlId}}: the sender's control id (MSH-10), empty when there is none
 *   <li>{@code ${messageType}}: MSH-9 with its components joined by {@code _} ({@code ADT_A01}) for
 *       HL7v2, the resource type for FHIR, the root element for XML, else {@code message}
 *   <li>{@code ${date}}: the delivery date, {@code yyyyMMdd}; {@code ${date:FORMAT}} any
 *       {@link DateTimeFormatter} pattern ({@code ${date:yyyyMMddHHmmss}})
 *   <li>{@code ${destination}}: the destination's name
 * </ul>
 *
 * Each value is made safe for a file name (characters other than letters, digits, {@code . _ -}
 * become {@code _}, at most 100 of them). A {@code /} in the literal text makes sub-folders; the
 * name can never leave the destination's folder. The extension is not part of the pattern.
 */
public final class FileNamePattern {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)(?::([^}]*))?}");
  private static final Pattern RESOURCE_TYPE = Pattern.compile("\"resourceType\"\\s*:\\s*\"([A-Za-z]+)\"");
  private static final Pattern XML_ROOT = Pattern.compile("<([A-Za-z_][\\w.-]*:)?([A-Za-z_][\\w.-]*)[\\s/>]");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final String text;
  private final List<Part> parts;

  private sealed interface Part permits Literal, Placeholder {}

  private record Literal(String text) implements Part {}

  private record Placeholder(String name, DateTimeFormatter format) implements Part {}

  private FileNamePattern(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  /** Parses a pattern; an unknown placeholder, a bad date format or a path that climbs out is an error. */
  public static FileNamePattern parse(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("fileName is empty");
    }
    if (pattern.startsWith("/") || pattern.contains("\\") || List.of(pattern.split("/")).contains("..")) {
      throw new IllegalArgumentException("fileName '" + pattern + "' must stay inside the destination's directory");
    }
    List<Part> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(pattern);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        parts.add(new Literal(pattern.substring(at, m.start())));
      }
      String name = m.group(1);
      String argument = m.group(2);
      switch (name) {
        case "messageId", "controlId", "messageType", "destination" -> {
          if (argument != null) {
            throw new IllegalArgumentException("fileName '" + pattern + "': ${" + name + "} takes no format");
          }
          parts.add(new Placeholder(name, null));
        }
        case "date" -> {
          DateTimeFormatter format;
          try {
            format = argument == null ? DAY : DateTimeFormatter.ofPattern(argument);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fileName '" + pattern + "': bad date format '" + argument + "': " + e.getMessage());
          }
          parts.add(new Placeholder(name, format));
        }
        default -> throw new IllegalArgumentException(
            "fileName '" + pattern + "': unknown placeholder ${" + name + "} (known: messageId, controlId, messageType, date, destination)");
      }
      at = m.end();
    }
    if (at < pattern.length()) {
      String rest = pattern.substring(at);
      if (rest.contains("${")) {
        throw new IllegalArgumentException("fileName '" + pattern + "': unclosed placeholder");
      }
      parts.add(new Literal(rest));
    }
    return new FileNamePattern(pattern, List.copyOf(parts));
  }

  /** True when the pattern names each message apart ({@code ${messageId}}), so a redelivery always lands on its own file. */
  public boolean unique() {
    return parts.stream().anyMatch(p -> p instanceof Placeholder h && h.name().equals("messageId"));
  }

  /** The name for one message, without extension. */
  public String resolve(OutboundMessage message, String destination, ZonedDateTime now) {
    StringBuilder name = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        name.append(literal.text());
      } else if (part instanceof Placeholder placeholder) {
        String value = switch (placeholder.name()) {
          case "messageId" -> message.messageId();
          case "controlId" -> message.controlId() == null ? "" : message.controlId();
          case "messageType" -> messageType(message.content());
          case "destination" -> destination;
          default -> now.format(placeholder.format());
        };
        name.append(safe(value));
      }
    }
    String resolved = name.toString();
    return resolved.isBlank() || resolved.endsWith("/") ? resolved + message.messageId() : resolved;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Letters, digits, {@code . _ -} kept, anything else {@code _}; at most 100 characters; never {@code .} or {@code ..}. */
  static String safe(String value) {
    String safe = value.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 100) {
      safe = safe.substring(0, 100);
    }
    return safe.equals(".") || safe.equals("..") ? safe.replace('.', '_') : safe;
  }

  /** MSH-9 as {@code ADT_A01}, a FHIR resource type, an XML root element, or {@code message}. */
  static String messageType(Content content) {
    String head = new String(content.bytes(), 0, Math.min(content.bytes().length, 4096),
        content.charset() == null ? StandardCharsets.ISO_8859_1 : content.charset());
    ContentType type = content.type();
    if (type == ContentType.HL7V2_ER7) {
      int msh = head.startsWith("MSH") ? 0 : head.indexOf("MSH");
      if (msh >= 0 && head.length() > msh + 4) {
        char field = head.charAt(msh + 3);
        char component = head.length() > msh + 4 ? head.charAt(msh + 4) : '^';
        int end = head.length();
        for (int i = msh; i < head.length(); i++) {
          if (head.charAt(i) == '\r' || head.charAt(i) == '\n') {
            end = i;
            break;
          }
        }
        String[] fields = head.substring(msh, end).split(Pattern.quote(String.valueOf(field)), -1);
        if (fields.length > 8 && !fields[8].isBlank()) {
          String[] components = fields[8].split(Pattern.quote(String.valueOf(component)), -1);
          return String.join("_", components.length > 2 && !components[2].isBlank()
              ? List.of(components[0], components[1]) : List.of(components).subList(0, Math.min(2, components.length))).replaceAll("_+$", "");
        }
      }
      return "message";
    }
    if (type == ContentType.FHIR_JSON) {
      Matcher m = RESOURCE_TYPE.matcher(head);
      return m.find() ? m.group(1) : "message";
    }
    if (type == ContentType.FHIR_XML || type == ContentType.HL7V2_XML) {
      Matcher m = XML_ROOT.matcher(head.replaceAll("(?s)<\\?.*?\\?>|<!--.*?-->", ""));
      return m.find() ? m.group(2) : "message";
    }
    return "message";
  }
}
