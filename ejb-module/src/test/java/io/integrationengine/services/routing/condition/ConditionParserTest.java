package io.integrationengine.services.routing.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationengine.services.routing.condition.Conditions.And;
import io.integrationengine.services.routing.condition.Conditions.Equals;
import io.integrationengine.services.routing.condition.Conditions.Exists;
import io.integrationengine.services.routing.condition.Conditions.In;
import io.integrationengine.services.routing.condition.Conditions.Matches;
import io.integrationengine.services.routing.condition.Conditions.Not;
import io.integrationengine.services.routing.condition.Conditions.NotEquals;
import io.integrationengine.services.routing.condition.Conditions.Or;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionParserTest {

  /** Operand -> values, exactly as written in the condition; a missing key has no values. */
  private record FakeView(Map<String, List<String>> values) implements MessageView {
    @Override
    public List<String> values(String operand) {
      return values.getOrDefault(operand, List.of());
    }
  }

  /** A view from operand/value pairs; a repeated operand collects several values. */
  private static MessageView view(String... operandValuePairs) {
    Map<String, List<String>> values = new HashMap<>();
    for (int i = 0; i < operandValuePairs.length; i += 2) {
      values.computeIfAbsent(operandValuePairs[i], k -> new ArrayList<>()).add(operandValuePairs[i + 1]);
    }
    return new FakeView(values);
  }

  private static final MessageView FEMALE =
      view("PID-8", "F", "MSH-9", "ADT^A01", "PID-3", "111", "PID-3", "222", "@channel", "lab");
  private static final MessageView MALE = view("PID-8", "M", "MSH-9", "ORU^R01", "PID-3", "333");
  private static final MessageView EMPTY = view();

  private static boolean eval(String condition, MessageView message) {
    return ConditionParser.parse(condition).test(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // condition                     | female | male  | no values
        "PID-8 = F                       | true   | false | false",
        "PID-8 != F                      | false  | true  | true",
        "PID-8 in (M, U)                 | false  | true  | false",
        "PID-8 not in (M, U)             | true   | false | true",
        "MSH-9 ~ 'ADT\\^A0[1-4]'         | true   | false | false",
        "MSH-9 ~ ADT                     | false  | false | false",
        "MSH-9 ~ '(?i)adt.*'             | true   | false | false",
        "@channel exists                 | true   | false | false",
        "@channel not exists             | false  | true  | true",
        "PID-8 = f                       | false  | false | false",
        "PID-3 = 222                     | true   | false | false",
        "PID-3 != 111                    | false  | true  | true",
        "PID-3 in (999, 111)             | true   | false | false",
        "PID-3 ~ '2+'                    | true   | false | false",
        "PID-3 not in (111)              | false  | true  | true",
      })
  void eachOperatorOnPresentRepeatedAndMissingValues(
      String condition, boolean female, boolean male, boolean empty) {
    assertThat(eval(condition, FEMALE)).as("%s on female", condition).isEqualTo(female);
    assertThat(eval(condition, MALE)).as("%s on male", condition).isEqualTo(male);
    assertThat(eval(condition, EMPTY)).as("%s on no values", condition).isEqualTo(empty);
  }

  @Test
  void buildsTheExpectedConditions() {
    assertThat(ConditionParser.parse("PID-8 = F")).isEqualTo(new Equals("PID-8", "F"));
    assertThat(ConditionParser.parse("PID-8 != F")).isEqualTo(new NotEquals("PID-8", "F"));
    assertThat(ConditionParser.parse("PID-8 in (M,F)")).isEqualTo(new In("PID-8", List.of("M", "F")));
    assertThat(ConditionParser.parse("PID-8 not in (M)"))
        .isEqualTo(new Not(new In("PID-8", List.of("M"))));
    assertThat(ConditionParser.parse("OBX(2)-5 ~ '\\d+'"))
        .isEqualTo(new Matches("OBX(2)-5", Pattern.compile("\\d+")));
    assertThat(ConditionParser.parse("PID-3(*).4 exists")).isEqualTo(new Exists("PID-3(*).4"));
    assertThat(ConditionParser.parse("PID not exists")).isEqualTo(new Not(new Exists("PID")));
  }

  @Test
  void notBindsTighterThanAndWhichBindsTighterThanOr() {
    // a or (b and c): a holds, so true; (a or b) and c would be false
    assertThat(eval("PID-8 = F or PID-8 = M and @channel = x", FEMALE)).isTrue();
    // (not a) and b: false; not (a and b) would be true
    assertThat(eval("not PID-8 = M and @channel = x", FEMALE)).isFalse();
    assertThat(eval("not PID-8 = M and @channel = lab", FEMALE)).isTrue();
    assertThat(ConditionParser.parse("not PID-8 = M and @x exists or PID-3 = 1"))
        .isEqualTo(
            new Or(
                List.of(
                    new And(List.of(new Not(new Equals("PID-8", "M")), new Exists("@x"))),
                    new Equals("PID-3", "1"))));
  }

  @Test
  void parenthesesGroup() {
    assertThat(eval("(PID-8 = F or PID-8 = M) and @channel = x", FEMALE)).isFalse();
    assertThat(eval("not (PID-8 = M and @channel = x)", FEMALE)).isTrue();
    assertThat(eval("not (PID-8 = F or @channel = x)", FEMALE)).isFalse();
    assertThat(eval("((PID-8 = F))", FEMALE)).isTrue();
    assertThat(eval("not not PID-8 = F", FEMALE)).isTrue();
  }

  @Test
  void keywordsIgnoreCaseAndWhitespaceIsFree() {
    assertThat(eval("PID-8 = F AND @channel EXISTS Or PID-8 NOT IN (F)", FEMALE)).isTrue();
    assertThat(eval("NOT PID-8 In (M)", FEMALE)).isTrue();
    assertThat(eval("(PID-8=F)and(@channel=lab)", FEMALE)).isTrue();
    assertThat(eval("PID-8 in(M,F)", MALE)).isTrue();
    assertThat(eval("not(PID-8!=M)", MALE)).isTrue();
    assertThat(eval("\n  PID-8\t=\tM\n", MALE)).isTrue();
  }

  @Test
  void quotedValuesKeepSpacesCommasParenthesesAndEscapedQuotes() {
    MessageView names =
        view("PID-5", "Smith, John (Jr)", "PID-6", "O'Brien", "NTE-3", "say \"hi\"", "NTE-4", "a\\b");
    assertThat(eval("PID-5 = \"Smith, John (Jr)\"", names)).isTrue();
    assertThat(eval("PID-5 in ('x', \"Smith, John (Jr)\")", names)).isTrue();
    assertThat(eval("PID-6 = 'O\\'Brien'", names)).isTrue();
    assertThat(eval("PID-6 = \"O'Brien\"", names)).isTrue();
    assertThat(eval("NTE-3 = \"say \\\"hi\\\"\"", names)).isTrue();
    assertThat(eval("NTE-4 = 'a\\\\b'", names)).isTrue();
    // other backslashes are kept, so regular expressions need no doubling
    assertThat(eval("PID-3 ~ '\\d+'", FEMALE)).isTrue();
    assertThat(ConditionParser.parse("NTE-1 = 'a\\nb'")).isEqualTo(new Equals("NTE-1", "a\\nb"));
  }

  @Test
  void bareWordsTakeEverythingButWhitespaceCommasParenthesesAndQuotes() {
    assertThat(ConditionParser.parse("MSH-12 in (2.5.1, ADT^A01,GLU-2, <0.5)"))
        .isEqualTo(new In("MSH-12", List.of("2.5.1", "ADT^A01", "GLU-2", "<0.5")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\t"})
  void blankTextIsAlwaysTrue(String text) {
    assertThat(ConditionParser.parse(text).test(EMPTY)).isTrue();
    assertThat(ConditionParser.parse(null).test(EMPTY)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@channel", "PID", "PID-8", "PID-3.1", "OBX(2)-5", "PID-3(2).1", "PID-3(*).4", "MSH-9.1",
        "ZPI-1.2.3", "P1D-3", "OBX(*)-5(3).10.2", "@content_Type2"
      })
  void acceptsValidOperands(String operand) {
    assertThat(ConditionParser.parse(operand + " exists")).isEqualTo(new Exists(operand));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "PID-8 = F                                   | PID-8 = F",
        "pid-8 != \"F\"                              | ",
        "PID-8  IN(M,'F')                            | PID-8 in (M, F)",
        "PID-8 not in (M)                            | PID-8 not in (M)",
        "not PID-8 in (M)                            | PID-8 not in (M)",
        "PID-8 NOT EXISTS                            | PID-8 not exists",
        "MSH-9 ~ 'ADT\\^A0\\d'                       | MSH-9 ~ \"ADT\\^A0\\d\"",
        "PID-5 = 'Smith, John'                       | PID-5 = \"Smith, John\"",
        "PID-5 = 'O\\'Brien'                         | PID-5 = \"O'Brien\"",
        "PID-5 = 'say \"hi\"'                        | PID-5 = \"say \\\"hi\\\"\"",
        "PID-5 in ('and', 'x y', '')                 | ",
        "PID-5 in ('and', 'x y')                     | PID-5 in (\"and\", \"x y\")",
        "a or b                                      | ",
        "PID-8 = F or PID-8 = M and @c exists        | PID-8 = F or PID-8 = M and @c exists",
        "(PID-8 = F or PID-8 = M) and @c exists      | (PID-8 = F or PID-8 = M) and @c exists",
        "not (PID-8 = F and @c exists)               | not (PID-8 = F and @c exists)",
        "not PID-8 = F and @c exists                 | not PID-8 = F and @c exists",
        "(PID-8 = F)                                 | PID-8 = F",
        "PID-8 = F and (@c exists and @d exists)     | PID-8 = F and (@c exists and @d exists)",
        "PID-8 = F or (@c exists or @d exists)       | PID-8 = F or (@c exists or @d exists)",
        "not not PID-8 = F                           | not not PID-8 = F",
        "fhirpath('Patient.gender')  =  female       | fhirpath(\"Patient.gender\") = female",
        "fhirpath( Patient.name.where(use = 'x)').family ) exists | fhirpath(\"Patient.name.where(use = 'x)').family\") exists",
        "fhirpath(\"a.where(b = 'c')\") not exists   | fhirpath(\"a.where(b = 'c')\") not exists",
      })
  void rendersBackInTheLanguage(String text, String expected) {
    if (expected == null) {
      assertThatThrownBy(() -> ConditionParser.parse(text)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    assertThat(ConditionParser.parse(text)).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PID-8 = F or PID-3 in (111, 'x, y') and not @channel ~ '(?i)LAB\\d*'",
        "(PID-8 != M or MSH-9 not in (ORU^R01)) and PID-3 not exists",
        "not (PID-3 = 222 and (@channel exists or PID-8 = 'F'))",
        "NTE-3 in ('back\\\\', 'q\"', \"s'\", 'a\\\\\\'b', 'and', 'OR', '=x', '<5', 'a(b)')",
        "MSH-9 ~ 'ADT\\^A\\d\\d' and PID-5 = \"\\\\\\\"\"",
      })
  void parsingTheRenderingGivesAnEqualCondition(String text) {
    Condition original = ConditionParser.parse(text);
    Condition reparsed = ConditionParser.parse(original.toString());
    assertThat(reparsed).isEqualTo(original).hasToString(original.toString());
    for (MessageView message : List.of(FEMALE, MALE, EMPTY, view("NTE-3", "a\\'b"), view("PID-5", "\\\""))) {
      assertThat(reparsed.test(message)).isEqualTo(original.test(message));
    }
  }

  @Test
  void renderingKeepsEscapedValuesIntact() {
    for (String value : List.of("\\", "\\\\", "\"", "'", "a\\\"b", "\\d+", "x y", "a,b", "(", "not")) {
      Equals equals = new Equals("NTE-3", value);
      assertThat(ConditionParser.parse(equals.toString())).as(equals.toString()).isEqualTo(equals);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // unbalanced parentheses
        "(PID-8 = F                   | ')' to close the '(' at position 1",
        "(PID-8 = F or (PID-8 = M)    | ')' to close the '(' at position 1",
        "PID-8 = F)                   | ')' has no matching '(' at position 10",
        "()                           | expected an operand",
        // missing values
        "PID-8 =                      | expected a value after '=', found the end of the condition at position 8",
        "PID-8 != )                   | expected a value after '!=', found ')'",
        "PID-8 in ()                  | expected a value after 'in (', found ')' at position 11",
        "PID-8 in (M,                 | expected a value after ',', found the end of the condition at position 13",
        "PID-8 in (M F)               | expected ',' or ')' in the 'in' list, found 'F'",
        "PID-8 in M                   | expected '(' after 'in', found 'M'",
        "PID-8 not in (               | expected a value after 'not in ('",
        "PID-8 ~                      | expected a value after '~'",
        "PID-8 = ''                   | empty value after '='",
        "PID-8 = \"F                  | quoted value is not closed (missing \") at position 9",
        // unknown operators
        "PID-8 == F                   | unknown operator '==' after 'PID-8' (expected =, !=, ~, in, not in, exists or not exists) at position 7",
        "OBX-5 > 5                    | unknown operator '>'",
        "OBX-5 <> 5                   | unknown operator '<>'",
        "PID-8 equals F               | unknown operator 'equals'",
        "PID-8                        | expected an operator (=, !=, ~, in, not in, exists or not exists) after 'PID-8'",
        "PID-8 not = F                | expected 'in' or 'exists' after 'PID-8 not', found '='",
        // bad operands
        "pid-8 = F                    | invalid operand 'pid-8': segment names are upper case ('PID-8') at position 1",
        "PID-0 = F                    | invalid operand 'PID-0': field, repetition, component and subcomponent numbers start at 1",
        "PID-3.0 = F                  | invalid operand 'PID-3.0'",
        "OBX(0)-5 = F                 | numbers start at 1",
        "PI-8 = F                     | invalid operand 'PI-8': expected @attribute, a field path",
        "PID-8.1.2.3 exists           | invalid operand 'PID-8.1.2.3'",
        "PID-3(x) exists              | invalid operand 'PID-3(x)'",
        "@1abc exists                 | invalid operand '@1abc'",
        "= F                          | expected an operand (@attribute, a field path such as PID-8, PID-3.1, OBX(2)-5, PID-3(*).4, or fhirpath(\"Patient.gender\")), found '='",
        "fhirpath(Patient.gender = F  | expected ')' to close 'fhirpath(', found the end",
        "fhirpath() exists            | empty FHIRPath expression",
        "fhirpath('') exists          | empty FHIRPath expression",
        "fhirpath('Patient.(') exists | invalid FHIRPath expression 'Patient.(' ",
        "fhirpath('Patient.gender' = F | expected ')' to close 'fhirpath(', found '='",
        "PID-8 = F and                | expected an operand",
        "PID-8 = F and or PID-8 = M   | found keyword 'or' at position 15",
        "not                          | expected an operand",
        // trailing garbage
        "PID-8 = F G                  | expected 'and', 'or' or the end of the condition, found 'G' at position 11",
        "PID-8 = F 'x'                | found '''",
        "PID-8 exists PID-3 exists    | found 'PID-3'",
        // invalid regular expressions
        "PID-5 ~ '[a'                 | invalid regular expression '[a' after '~': Unclosed character class",
        "PID-5 ~ *x                   | invalid regular expression '*x'",
      })
  void errorsSayWhatIsWrongAndWhere(String text, String expected) {
    assertThatThrownBy(() -> ConditionParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("condition: ")
        .hasMessageContaining(expected)
        .hasMessageEndingWith(": \"" + text + "\"");
  }

  @Test
  void conditionsBuiltInCodeRejectWhatTheLanguageCannotSay() {
    assertThatThrownBy(() -> new Equals("pid-8", "F")).hasMessageContaining("'pid-8'");
    assertThatThrownBy(() -> new In("PID-8", List.of())).hasMessageContaining("at least one value");
    assertThatThrownBy(() -> new NotEquals("PID-8", "")).hasMessageContaining("empty value");
    assertThatThrownBy(() -> new And(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
