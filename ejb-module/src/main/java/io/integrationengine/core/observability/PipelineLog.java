package io.integrationengine.core.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines of the pipeline with their context as fields: message id, control id, channel, route,
 * destination, where they apply. The context travels as a {@link Map} parameter of the
 * {@link LogRecord}; Payara's JSON log formatter ({@code ENGINE_LOG_FORMAT=json}) writes each entry as
 * a field of the line ({@code "messageId":"..."}), so a log search finds every line of a message
 * without parsing text. The text keeps saying the same for the plain format, which ignores the map.
 */
public final class PipelineLog {

  private PipelineLog() {}

  /** The context of one message; null values are left out. */
  public static Map<String, String> context(String messageId, String controlId, String channel, String route, String destination) {
    Map<String, String> context = new LinkedHashMap<>(8);
    put(context, "messageId", messageId);
    put(context, "controlId", controlId);
    put(context, "channel", channel);
    put(context, "route", route);
    put(context, "destination", destination);
    return context;
  }

  public static void log(Logger logger, Level level, String message, Map<String, String> context) {
    log(logger, level, message, context, null);
  }

  public static void log(Logger logger, Level level, String message, Map<String, String> context, Throwable thrown) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    // a text with "{0" would be taken for a MessageFormat pattern and formatted with the map: then the text alone
    if (!message.contains("{0")) {
      record.setParameters(new Object[] {context});
    }
    record.setThrown(thrown);
    logger.log(record);
  }

  private static void put(Map<String, String> context, String key, String value) {
    if (value != null && !value.isEmpty()) {
      context.put(key, value);
    }
  }
}
