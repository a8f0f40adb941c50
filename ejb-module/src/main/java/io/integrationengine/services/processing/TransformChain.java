package io.integrationengine.services.processing;

import io.integrationengine.core.model.Content;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transforms a route applies for one destination, in order, as written in the route's
 * {@code transforms} property: steps separated by {@code ;}, each {@code name(argument, ...)};
 * arguments are bare words or quoted ({@code "a, b"}) when they hold commas, parentheses,
 * semicolons or spaces at their ends. Example: {@code set(PID-3.4, HOSP); map(MSH-4.1, facilities); toXml()}.
 */
public final class TransformChain {

  private static final TransformChain NONE = new TransformChain("", List.of());

  private record Step(String name, TransformStep step) {}

  private final String text;
  private final List<Step> steps;

  private TransformChain(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  public static TransformChain none() {
    return NONE;
  }

  /**
   * Parses and prepares a chain.
   *
   * @param transformers the transformers by name
   * @throws IllegalArgumentException saying which step is wrong and why
   */
  public static TransformChain parse(String text, Map<String, Transformer> transformers, LookupTables tables) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    List<Step> steps = new ArrayList<>();
    for (String written : split(text, ';')) {
      if (written.isBlank()) {
        continue;
      }
      String step = written.strip();
      int open = step.indexOf('(');
      if (open <= 0 || !step.endsWith(")")) {
        throw new IllegalArgumentException("transform '" + step + "' must be written name(arguments)");
      }
      String name = step.substring(0, open).strip();
      Transformer transformer = transformers.get(name);
      if (transformer == null) {
        throw new IllegalArgumentException("unknown transform '" + name + "'; known: " + new java.util.TreeSet<>(transformers.keySet()));
      }
      String inside = step.substring(open + 1, step.length() - 1);
      List<String> arguments = inside.isBlank() ? List.of() : split(inside, ',').stream().map(TransformChain::unquote).toList();
      try {
        steps.add(new Step(name, transformer.prepare(arguments, tables)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("transform '" + step + "': " + e.getMessage(), e);
      }
    }
    return new TransformChain(text.strip(), List.copyOf(steps));
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Runs every step; a failing step's exception names it. */
  public Content apply(Content content) throws TransformException {
    Content current = content;
    for (Step step : steps) {
      try {
        current = step.step().apply(current);
      } catch (TransformException e) {
        throw new TransformException(step.name(), "transform " + step.name() + " failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new TransformException(step.name(), "transform " + step.name() + " failed: " + e, e);
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Splits on {@code separator} outside quotes and parentheses. */
  static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          current.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        current.append(c);
      } else if (c == '(') {
        depth++;
        current.append(c);
      } else if (c == ')') {
        depth--;
        current.append(c);
      } else if (c == separator && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in '" + text + "'");
    }
    parts.add(current.toString());
    return parts;
  }

  private static String unquote(String argument) {
    String a = argument.strip();
    if (a.length() >= 2 && (a.charAt(0) == '"' || a.charAt(0) == '\'') && a.charAt(a.length() - 1) == a.charAt(0)) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < a.length() - 1; i++) {
        char c = a.charAt(i);
        if (c == '\\' && i + 1 < a.length() - 1) {
          c = a.charAt(++i);
        }
        out.append(c);
      }
      return out.toString();
    }
    return a;
  }
}
