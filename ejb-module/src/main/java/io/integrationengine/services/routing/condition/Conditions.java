package io.integrationengine.services.routing.condition;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The building blocks of the route condition language read by {@link ConditionParser}: the
 * comparisons {@link Equals}, {@link NotEquals}, {@link In}, {@link Matches} and {@link Exists},
 * combined with {@link And}, {@link Or} and {@link Not}. A comparison reads every value its operand
 * has ({@link MessageView#values}) and, except for {@code !=}, holds when <em>any</em> of them
 * satisfies it, so {@code PID-3 = 123} holds if any repetition of PID-3 is {@code 123}. Values are
 * compared exactly (case-sensitive); {@code ~ "(?i)..."} compares without case. Each block renders
 * itself back in the language from {@code toString()}, which is how a route's condition is shown in
 * the API, and parsing that text gives an equal block.
 */
public final class Conditions {

  // Binding strength when rendering: a child binding less tightly than its parent gets parentheses.
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int COMPARISON = 4;

  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "exists");

  private Conditions() {}

  /** Holds when every operand holds. */
  public record And(List<Condition> operands) implements Condition {
    public And {
      operands = List.copyOf(operands);
      if (operands.isEmpty()) {
        throw new IllegalArgumentException("'and' needs at least one operand");
      }
    }

    @Override
    public boolean test(MessageView message) {
      return operands.stream().allMatch(c -> c.test(message));
    }

    @Override
    public String toString() {
      return operands.stream().map(c -> group(c, NOT)).collect(Collectors.joining(" and "));
    }
  }

  /** Holds when at least one operand holds. */
  public record Or(List<Condition> operands) implements Condition {
    public Or {
      operands = List.copyOf(operands);
      if (operands.isEmpty()) {
        throw new IllegalArgumentException("'or' needs at least one operand");
      }
    }

    @Override
    public boolean test(MessageView message) {
      return operands.stream().anyMatch(c -> c.test(message));
    }

    @Override
    public String toString() {
      return operands.stream().map(c -> group(c, AND)).collect(Collectors.joining(" or "));
    }
  }

  /**
   * Holds when its operand does not. Rendered {@code PID-8 not in (...)} and {@code PID-8 not
   * exists} around {@link In} and {@link Exists}, as analysts write them.
   */
  public record Not(Condition operand) implements Condition {
    public Not {
      Objects.requireNonNull(operand, "operand");
    }

    @Override
    public boolean test(MessageView message) {
      return !operand.test(message);
    }

    @Override
    public String toString() {
      if (operand instanceof In in) {
        return render(in.operand()) + " not in " + in.list();
      }
      if (operand instanceof Exists exists) {
        return render(exists.operand()) + " not exists";
      }
      return "not " + group(operand, NOT);
    }
  }

  /** {@code operand = value}: some value of the operand is exactly {@code value}. */
  public record Equals(String operand, String value) implements Condition {
    public Equals {
      requireOperand(operand);
      requireValue(value);
    }

    @Override
    public boolean test(MessageView message) {
      return message.values(operand).contains(value);
    }

    @Override
    public String toString() {
      return render(operand) + " = " + literal(value);
    }
  }

  /**
   * {@code operand != value}: exactly {@code not (operand = value)}, so it holds when no value of
   * the operand is {@code value}, including when the operand has no value at all (a message
   * without PID-8 is {@code PID-8 != F}); write {@code PID-8 exists and PID-8 != F} to require one.
   */
  public record NotEquals(String operand, String value) implements Condition {
    public NotEquals {
      requireOperand(operand);
      requireValue(value);
    }

    @Override
    public boolean test(MessageView message) {
      return !message.values(operand).contains(value);
    }

    @Override
    public String toString() {
      return render(operand) + " != " + literal(value);
    }
  }

  /** {@code operand in (v1, v2, ...)}: some value of the operand is exactly one of the listed. */
  public record In(String operand, List<String> values) implements Condition {
    public In {
      requireOperand(operand);
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("'" + operand + " in (...)' needs at least one value");
      }
      values.forEach(Conditions::requireValue);
    }

    @Override
    public boolean test(MessageView message) {
      return message.values(operand).stream().anyMatch(values::contains);
    }

    String list() {
      return values.stream().map(Conditions::literal).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public String toString() {
      return render(operand) + " in " + list();
    }
  }

  /**
   * {@code operand ~ regex}: some value of the operand matches the Java regular expression as a
   * whole ({@link java.util.regex.Matcher#matches}), so {@code ~ "ADT.*"} and not {@code ~ "ADT"}
   * for every ADT value. Two are equal when their operand, expression and flags are.
   */
  public record Matches(String operand, Pattern pattern) implements Condition {
    public Matches {
      requireOperand(operand);
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public boolean test(MessageView message) {
      return message.values(operand).stream().anyMatch(v -> pattern.matcher(v).matches());
    }

    @Override
    public boolean equals(Object other) {
      // Pattern has identity equality; two parses of one condition must compare equal.
      return other instanceof Matches m
          && operand.equals(m.operand)
          && pattern.pattern().equals(m.pattern.pattern())
          && pattern.flags() == m.pattern.flags();
    }

    @Override
    public int hashCode() {
      return Objects.hash(operand, pattern.pattern(), pattern.flags());
    }

    @Override
    public String toString() {
      // Always quoted: regular expressions are full of characters that end a bare word.
      return render(operand) + " ~ " + quoted(pattern.pattern());
    }
  }

  /** {@code operand exists}: the operand has at least one (non-empty) value. */
  public record Exists(String operand) implements Condition {
    public Exists {
      requireOperand(operand);
    }

    @Override
    public boolean test(MessageView message) {
      return !message.values(operand).isEmpty();
    }

    @Override
    public String toString() {
      return render(operand) + " exists";
    }
  }

  private static void requireOperand(String operand) {
    if (operand == null || !ConditionParser.isOperand(operand)) {
      throw new IllegalArgumentException(
          "not a condition operand: '"
              + operand
              + "' (expected @attribute, a field path such as PID-8, PID-3.1, OBX(2)-5, or fhirpath:expression)");
    }
  }

  private static void requireValue(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      // MessageView leaves empty values out, so a comparison with "" could never hold.
      throw new IllegalArgumentException("empty value in a condition (use 'not exists' instead)");
    }
  }

  private static int strength(Condition condition) {
    if (condition instanceof Or) {
      return OR;
    }
    if (condition instanceof And) {
      return AND;
    }
    if (condition instanceof Not) {
      return NOT;
    }
    if (condition instanceof Equals
        || condition instanceof NotEquals
        || condition instanceof In
        || condition instanceof Matches
        || condition instanceof Exists) {
      return COMPARISON;
    }
    return 0;
  }

  /** The child rendered, in parentheses unless it binds at least as tightly as {@code minimum}. */
  private static String group(Condition child, int minimum) {
    return strength(child) >= minimum ? child.toString() : "(" + child + ")";
  }

  /** An operand as written in a condition: {@code fhirpath:expr} as {@code fhirpath("expr")}. */
  static String render(String operand) {
    return operand.startsWith(ConditionParser.FHIRPATH)
        ? "fhirpath(" + quoted(operand.substring(ConditionParser.FHIRPATH.length())) + ")"
        : operand;
  }

  /** A value as a bare word when it reads back as the same value, otherwise quoted. */
  static String literal(String value) {
    boolean bare =
        !value.isEmpty()
            && "=!~<>".indexOf(value.charAt(0)) < 0
            && !KEYWORDS.contains(value.toLowerCase(Locale.ROOT))
            && value.chars().allMatch(ConditionParser::isBareChar);
    return bare ? value : quoted(value);
  }

  /**
   * In double quotes; a backslash is doubled only where the parser would otherwise read it as an
   * escape, so a regular expression such as {@code \d+} keeps its usual look.
   */
  static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        out.append("\\\"");
      } else if (c == '\\' && (i + 1 == value.length() || isEscapable(value.charAt(i + 1)))) {
        out.append("\\\\");
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static boolean isEscapable(char c) {
    return c == '\\' || c == '"' || c == '\'';
  }
}
