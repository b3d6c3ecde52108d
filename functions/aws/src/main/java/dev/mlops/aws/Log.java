package dev.mlops.aws;

import dev.mlops.core.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured logs: one JSON object per line on stderr (CloudWatch Logs on Lambda), with the
 * function's name, so a log query can filter on any field. Also formats what libraries log through
 * java.util.logging (Tribuo does), so every line of a function's log is JSON.
 */
public final class Log {

    private static final Logger LOGGER = Logger.getLogger("dev.mlops");

    static {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new ConsoleHandler();
        handler.setFormatter(new JsonFormatter());
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    private Log() {
    }

    /** Logs an event with its fields (values must be JSON-serialisable; nulls are left out). */
    public static void info(String message, Map<String, ?> fields) {
        log(Level.INFO, message, fields);
    }

    public static void warn(String message, Map<String, ?> fields) {
        log(Level.WARNING, message, fields);
    }

    private static void log(Level level, String message, Map<String, ?> fields) {
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
            line.put("level", record.getLevel().getName());
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
    }
}
