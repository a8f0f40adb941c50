package io.integrationengine.services.processing;

import java.util.List;

/**
 * One kind of transform, named in route configuration ({@code set(PID-3.4, HOSP)} names the
 * transformer {@code set}). Implementations are CDI beans ({@code @ApplicationScoped}); a new
 * transform is a new class. {@link #prepare} runs when the route is read, so a wrong argument
 * makes the route invalid (reported, skipped) instead of failing every message.
 */
public interface Transformer {

  /** The name used in configuration, lower case, e.g. {@code set}, {@code map}, {@code toXml}. */
  String name();

  /**
   * Checks the arguments and returns the step to run on each message.
   *
   * @param arguments the arguments as written in the configuration, unquoted and stripped
   * @param tables the lookup tables, for transforms that name one
   * @throws IllegalArgumentException saying what is wrong with the arguments
   */
  TransformStep prepare(List<String> arguments, LookupTables tables);
}
