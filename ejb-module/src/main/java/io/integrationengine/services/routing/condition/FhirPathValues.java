package io.integrationengine.services.routing.condition;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * FHIRPath for route conditions, with HAPI's R4 engine: an expression is checked when its route
 * is loaded and parsed once. A primitive result is its value as text ({@code true}, {@code 1970-01-01});
 * any other result (an Identifier, a Reference) counts as present and reads as its type name, so
 * {@code exists} works on it while comparisons are meant for primitives.
 */
public final class FhirPathValues {

  private static final Map<String, IFhirPath.IParsedExpression> PARSED = new ConcurrentHashMap<>();

  private FhirPathValues() {}

  /**
   * Checks the expression's syntax.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static void check(String expression) {
    parsed(expression);
  }

  /** Every value {@code expression} yields on {@code resource}, in order; empty values left out. */
  public static List<String> values(IBase resource, String expression) {
    List<String> values = new ArrayList<>();
    for (IBase result : engine().evaluate(resource, parsed(expression), IBase.class)) {
      String value = result instanceof IPrimitiveType<?> primitive ? primitive.getValueAsString() : result.fhirType();
      if (value != null && !value.isEmpty()) {
        values.add(value);
      }
    }
    return values;
  }

  private static IFhirPath.IParsedExpression parsed(String expression) {
    IFhirPath.IParsedExpression known = PARSED.get(expression);
    if (known != null) {
      return known;
    }
    try {
      IFhirPath.IParsedExpression parsed = engine().parse(expression);
      PARSED.put(expression, parsed);
      return parsed;
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid FHIRPath expression '" + expression + "': " + e.getMessage(), e);
    }
  }

  private static IFhirPath engine() {
    return Engine.INSTANCE;
  }

  /** Built on first use: it needs the R4 context, seconds to build the first time. */
  private static final class Engine {
    static final IFhirPath INSTANCE = FhirContext.forR4Cached().newFhirPath();
  }
}
