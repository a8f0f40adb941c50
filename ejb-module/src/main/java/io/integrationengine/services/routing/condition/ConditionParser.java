package io.integrationengine.services.routing.condition;

import io.integrationengine.services.routing.condition.Conditions.And;
import io.integrationengine.services.routing.condition.Conditions.Equals;
import io.integrationengine.services.routing.condition.Conditions.Exists;
import io.integrationengine.services.routing.condition.Conditions.In;
import io.integrationengine.services.routing.condition.Conditions.Matches;
import io.integrationengine.services.routing.condition.Conditions.Not;
import io.integrationengine.services.routing.condition.Conditions.NotEquals;
import io.integrationengine.services.routing.condition.Conditions.Or;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a route condition, the {@code condition} property of a route's JNDI resource, into a
 * {@link Condition} built from {@link Conditions}; blank or missing text is {@link
 * Condition#always()}. Keywords ({@code and or not in exists}) are case-insensitive and whitespace
 * is free, {@code not} binds tighter than {@code and}, which binds tighter than {@code or}.
 * Operands are checked and regular expressions compiled here, so a mistake fails when the route is
 * loaded, with an {@link IllegalArgumentException} naming the problem, its 1-based position and the
 * whole condition:
 *
 * <pre>
 * expr       := andExpr ( 'or' andExpr )*
 * andExpr    := unary ( 'and' unary )*
 * unary      := 'not' unary | '(' expr ')' | comparison
 * comparison := operand ( '=' value | '!=' value | '~' value
 *                       | 'in' list | 'not' 'in' list | 'exists' | 'not' 'exists' )
 * list       := '(' value ( ',' value )* ')'
 * value      := "..." | '...'   (\" \' \\ are escapes, any other backslash is kept)
 *             | bare word       (characters other than whitespace , ( ) " ')
 * operand    := '@' [A-Za-z][A-Za-z0-9_]*
 *             | 'fhirpath(' FHIRPath expression, quoted or not, ')'   (FHIR content: each value it yields)
 *             | SEG[(n|*)][-FIELD[(r|*)][.COMP[.SUB]]]   (SEG = [A-Z][A-Z0-9]{2}, numbers from 1)
 * </pre>
 */
public final class ConditionParser {

  /** An operand {@code fhirpath("...")} is kept as this prefix and the expression. */
  public static final String FHIRPATH = "fhirpath:";
  private static final String FHIRPATH_CALL = "fhirpath(";
  private static final Pattern ATTRIBUTE = Pattern.compile("@[A-Za-z][A-Za-z0-9_]*");
  private static final String NUMBER = "[1-9][0-9]*";
  private static final String INDEX = "\\((?:" + NUMBER + "|\\*)\\)";
  private static final Pattern FIELD_PATH =
      Pattern.compile(
          "[A-Z][A-Z0-9]{2}(?:"
              + INDEX
              + ")?(?:-"
              + NUMBER
              + "(?:"
              + INDEX
              + ")?(?:\\."
              + NUMBER
              + "(?:\\."
              + NUMBER
              + ")?)?)?");
  private static final Pattern ZERO_POSITION = Pattern.compile("[-.(]0+(?![0-9])");

  private static final String OPERATORS = "=, !=, ~, in, not in, exists or not exists";
  private static final String OPERAND_EXAMPLES =
      "@attribute, a field path such as PID-8, PID-3.1, OBX(2)-5, PID-3(*).4, or fhirpath(\"Patient.gender\")";

  private final String text;
  private int pos;

  private ConditionParser(String text) {
    this.text = text;
  }

  /**
   * The condition {@code text} describes.
   *
   * @throws IllegalArgumentException if it does not follow the grammar, names an invalid operand or
   *     holds an invalid regular expression; the message says what was expected and where
   */
  public static Condition parse(String text) {
    if (text == null || text.isBlank()) {
      return Condition.always();
    }
    ConditionParser parser = new ConditionParser(text);
    Condition condition = parser.orExpr();
    parser.skipWhitespace();
    if (!parser.atEnd()) {
      if (parser.peek() == ')') {
        throw parser.error("')' has no matching '('");
      }
      throw parser.error(
          "expected 'and', 'or' or the end of the condition, found " + parser.found());
    }
    return condition;
  }

  /** True if {@code operand} is an {@code @attribute}, a well-formed HL7v2 field path or {@code fhirpath:} and an expression. */
  static boolean isOperand(String operand) {
    if (operand.startsWith(FHIRPATH)) {
      return !operand.substring(FHIRPATH.length()).isBlank();
    }
    return ATTRIBUTE.matcher(operand).matches() || FIELD_PATH.matcher(operand).matches();
  }

  /** True if {@code c} may appear in an unquoted value. */
  static boolean isBareChar(int c) {
    return !Character.isWhitespace(c) && ",()\"'".indexOf(c) < 0;
  }

  private Condition orExpr() {
    List<Condition> operands = new ArrayList<>();
    operands.add(andExpr());
    while (keyword("or")) {
      operands.add(andExpr());
    }
    return operands.size() == 1 ? operands.get(0) : new Or(operands);
  }

  private Condition andExpr() {
    List<Condition> operands = new ArrayList<>();
    operands.add(unary());
    while (keyword("and")) {
      operands.add(unary());
    }
    return operands.size() == 1 ? operands.get(0) : new And(operands);
  }

  private Condition unary() {
    if (keyword("not")) {
      return new Not(unary());
    }
    skipWhitespace();
    if (!atEnd() && peek() == '(') {
      int open = pos++;
      Condition inner = orExpr();
      skipWhitespace();
      if (atEnd() || peek() != ')') {
        throw error(
            "expected 'and', 'or' or ')' to close the '(' at position "
                + (open + 1)
                + ", found "
                + found());
      }
      pos++;
      return inner;
    }
    return comparison();
  }

  private Condition comparison() {
    int start = pos;
    String operand = text.startsWith(FHIRPATH_CALL, pos) ? fhirPathOperand() : operandToken();
    if (operand.isEmpty()) {
      throw error("expected an operand (" + OPERAND_EXAMPLES + "), found " + found());
    }
    if (isKeyword(operand)) {
      throw errorAt(
          start, "expected an operand (" + OPERAND_EXAMPLES + "), found keyword '" + operand + "'");
    }
    if (!isOperand(operand)) {
      throw errorAt(start, "invalid operand '" + operand + "': " + operandHint(operand));
    }
    skipWhitespace();
    int operatorStart = pos;
    if (!atEnd() && isOperatorChar(peek())) {
      String operator = symbols();
      switch (operator) {
        case "=":
          return new Equals(operand, value("'='"));
        case "!=":
          return new NotEquals(operand, value("'!='"));
        case "~":
          return matches(operand);
        default:
          throw errorAt(
              operatorStart,
              "unknown operator '"
                  + operator
                  + "' after '"
                  + operand
                  + "' (expected "
                  + OPERATORS
                  + ")");
      }
    }
    if (keyword("exists")) {
      return new Exists(operand);
    }
    if (keyword("in")) {
      return new In(operand, list("'in'"));
    }
    if (keyword("not")) {
      if (keyword("in")) {
        return new Not(new In(operand, list("'not in'")));
      }
      if (keyword("exists")) {
        return new Not(new Exists(operand));
      }
      skipWhitespace();
      throw error("expected 'in' or 'exists' after '" + operand + " not', found " + found());
    }
    if (atEnd()) {
      throw error(
          "expected an operator (" + OPERATORS + ") after '" + operand + "', found " + found());
    }
    throw error(
        "unknown operator " + found() + " after '" + operand + "' (expected " + OPERATORS + ")");
  }

  private Matches matches(String operand) {
    skipWhitespace();
    int start = pos;
    String regex = value("'~'");
    try {
      return new Matches(operand, Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      String near = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
      throw errorAt(
          start,
          "invalid regular expression '" + regex + "' after '~': " + e.getDescription() + near);
    }
  }

  private List<String> list(String after) {
    skipWhitespace();
    if (atEnd() || peek() != '(') {
      throw error("expected '(' after " + after + ", found " + found());
    }
    pos++;
    List<String> values = new ArrayList<>();
    values.add(value(after.substring(0, after.length() - 1) + " ('"));
    while (true) {
      skipWhitespace();
      if (!atEnd() && peek() == ',') {
        pos++;
        values.add(value("','"));
      } else if (!atEnd() && peek() == ')') {
        pos++;
        return values;
      } else {
        throw error("expected ',' or ')' in the " + after + " list, found " + found());
      }
    }
  }

  /** A quoted string or a bare word; {@code after} names what came before, for the message. */
  private String value(String after) {
    skipWhitespace();
    int start = pos;
    if (atEnd() || ",()".indexOf(peek()) >= 0) {
      throw error("expected a value after " + after + ", found " + found());
    }
    String value;
    if (peek() == '"' || peek() == '\'') {
      value = quoted();
    } else {
      while (!atEnd() && isBareChar(peek())) {
        pos++;
      }
      value = text.substring(start, pos);
    }
    if (value.isEmpty()) {
      // Empty values are never present (MessageView leaves them out): the test could never hold.
      throw errorAt(
          start,
          "empty value after " + after + " never matches (use 'not exists' for a missing field)");
    }
    return value;
  }

  private String quoted() {
    int start = pos;
    char quote = text.charAt(pos++);
    StringBuilder value = new StringBuilder();
    while (!atEnd()) {
      char c = text.charAt(pos);
      if (c == '\\' && pos + 1 < text.length() && "\\\"'".indexOf(text.charAt(pos + 1)) >= 0) {
        value.append(text.charAt(pos + 1));
        pos += 2;
      } else if (c == quote) {
        pos++;
        return value.toString();
      } else {
        value.append(c);
        pos++;
      }
    }
    throw errorAt(start, "quoted value is not closed (missing " + quote + ")");
  }

  /**
   * {@code fhirpath("expression")}, or the expression unquoted up to the parenthesis that closes
   * the call (asadmin drops single quotes from the values it sets), as the operand
   * {@code fhirpath:expression}.
   */
  private String fhirPathOperand() {
    pos += FHIRPATH_CALL.length();
    skipWhitespace();
    int start = pos;
    String expression;
    if (!atEnd() && (peek() == '"' || peek() == '\'')) {
      expression = quoted();
      skipWhitespace();
    } else {
      expression = balanced();
    }
    if (expression.isBlank()) {
      throw errorAt(start, "empty FHIRPath expression");
    }
    if (atEnd() || peek() != ')') {
      throw error("expected ')' to close 'fhirpath(', found " + found());
    }
    try {
      FhirPathValues.check(expression);
    } catch (IllegalArgumentException e) {
      throw errorAt(start, e.getMessage());
    }
    pos++;
    return FHIRPATH + expression;
  }

  /** Text up to the ')' that is not matched inside it (FHIRPath strings in single quotes may hold any). */
  private String balanced() {
    int start = pos;
    int depth = 0;
    while (!atEnd()) {
      char c = peek();
      if (c == '\'') {
        int close = text.indexOf('\'', pos + 1);
        pos = close < 0 ? text.length() : close + 1;
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          break;
        }
        depth--;
      }
      pos++;
    }
    return text.substring(start, pos).strip();
  }

  /**
   * The run of characters that may form an operand; parentheses are taken while balanced so that
   * {@code OBX(2)-5} is one token but the ')' closing a group is not.
   */
  private String operandToken() {
    int start = pos;
    int depth = 0;
    while (!atEnd()) {
      char c = peek();
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (!Character.isLetterOrDigit(c) && "@_.*-".indexOf(c) < 0) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  private static String operandHint(String operand) {
    String upper = operand.toUpperCase(Locale.ROOT);
    if (!operand.startsWith("@") && isOperand(upper)) {
      return "segment names are upper case ('" + upper + "')";
    }
    if (operand.startsWith("@")) {
      return "an attribute is '@' then a letter, then letters, digits or '_'";
    }
    if (ZERO_POSITION.matcher(operand).find()) {
      return "field, repetition, component and subcomponent numbers start at 1";
    }
    return "expected " + OPERAND_EXAMPLES;
  }

  /** Consumes {@code word} if it is next as a whole word, ignoring case. */
  private boolean keyword(String word) {
    skipWhitespace();
    int end = pos + word.length();
    if (text.regionMatches(true, pos, word, 0, word.length())
        && (end == text.length() || !isWordChar(text.charAt(end)))) {
      pos = end;
      return true;
    }
    return false;
  }

  private static boolean isKeyword(String word) {
    return List.of("and", "or", "not", "in", "exists").contains(word.toLowerCase(Locale.ROOT));
  }

  private static boolean isWordChar(char c) {
    return isBareChar(c) && !isOperatorChar(c);
  }

  private static boolean isOperatorChar(char c) {
    return "=!~<>".indexOf(c) >= 0;
  }

  private String symbols() {
    int start = pos;
    while (!atEnd() && isOperatorChar(peek())) {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** The next token, quoted, for messages. */
  private String found() {
    if (atEnd()) {
      return "the end of the condition";
    }
    char c = peek();
    int end = pos + 1;
    if (isOperatorChar(c)) {
      while (end < text.length() && isOperatorChar(text.charAt(end))) {
        end++;
      }
    } else if (isWordChar(c)) {
      while (end < text.length() && isWordChar(text.charAt(end)) && end - pos < 40) {
        end++;
      }
    }
    return "'" + text.substring(pos, end) + "'";
  }

  private void skipWhitespace() {
    while (!atEnd() && Character.isWhitespace(peek())) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return text.charAt(pos);
  }

  private IllegalArgumentException error(String problem) {
    return errorAt(pos, problem);
  }

  private IllegalArgumentException errorAt(int position, String problem) {
    return new IllegalArgumentException(
        "condition: " + problem + " at position " + (position + 1) + ": \"" + text + "\"");
  }
}
