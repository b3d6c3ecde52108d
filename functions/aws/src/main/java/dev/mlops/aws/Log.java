package dev.mlops.aws;

import dev.mlops.core.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured logs: one JSON object per line on stderr (CloudWatch Logs on Lambda), with the
 * function's name, so a log query can filter on any field. The project's own logger and the
 * libraries that log through java.util.logging (Tribuo) get a JSON handler of their own; the
 * root logger and the handlers of the JVM that loads this class are left alone. The level comes
 * from {@code POWERTOOLS_LOG_LEVEL} (DEBUG, INFO, WARN, ERROR; default INFO), as with Powertools'
 * logging, whose jar is not used here.
 */
public final class Log {

    /** Loggers that get the JSON handler; kept strongly reachable (JUL holds loggers weakly). */
    static final List<Logger> LOGGERS = List.of(Logger.getLogger("dev.mlops"), Logger.getLogger("org.tribuo"),
            Logger.getLogger("com.oracle.labs"));

    private static final Logger LOGGER = LOGGERS.get(0);

    static {
        Handler handler = new ConsoleHandler();
        handler.setFormatter(new JsonFormatter());
        handler.setLevel(Level.ALL);
        for (Logger logger : LOGGERS) {
            logger.setUseParentHandlers(false);
            logger.addHandler(handler);
        }
        configure(FunctionEnvironment.get("POWERTOOLS_LOG_LEVEL", "INFO"));
    }

    private Log() {
    }

    /** Sets the level of the project's and the libraries' loggers from a Powertools level name. */
    static void configure(String powertoolsLevel) {
        Level level = switch (powertoolsLevel.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE", "DEBUG" -> Level.FINE;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR", "FATAL" -> Level.SEVERE;
            case "OFF" -> Level.OFF;
            default -> Level.INFO;
        };
        LOGGERS.forEach(l -> l.setLevel(level));
    }

    /** Logs an event with its fields (values must be JSON-serialisable; nulls are left out). */
    public static void info(String message, Map<String, ?> fields) {
        log(Level.INFO, message, fields);
    }

    public static void warn(String message, Map<String, ?> fields) {
        log(Level.WARNING, message, fields);
    }

    public static void debug(String message, Map<String, ?> fields) {
        log(Level.FINE, message, fields);
    }

    private static void log(Level level, String message, Map<String, ?> fields) {
        if (!LOGGER.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(LOGGER.getName());
        record.setParameters(new Object[] {fields});
        LOGGER.log(record);
    }

    /** Formats every record as one JSON line. */
    static final class JsonFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            line.put("level", powertoolsName(record.getLevel()));
            line.put("service", FunctionEnvironment.get("POWERTOOLS_SERVICE_NAME", "mlops"));
            String function = FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME");
            if (function != null) {
                line.put("function", function);
            }
            line.put("logger", record.getLoggerName());
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> fields) {
                line.put("message", record.getMessage());
                fields.forEach((k, v) -> {
                    if (v != null) {
                        line.put(k.toString(), v);
                    }
                });
            } else {
                line.put("message", formatMessage(record));
            }
            if (record.getThrown() != null) {
                line.put("error", record.getThrown().getClass().getName() + ": " + record.getThrown().getMessage());
            }
            return Json.string(line) + System.lineSeparator();
        }

        private static String powertoolsName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN";
            }
            return level.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
        }
    }
}
