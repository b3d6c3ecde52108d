package dev.mlops.aws;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {

    @AfterEach
    void reset() {
        Log.configure("INFO");
    }

    @Test
    void loading_shouldLeaveTheRootHandlersOfTheJvmAlone() {
        // GIVEN the root logger's handlers before the class is used
        List<Handler> before = List.of(Logger.getLogger("").getHandlers());
        // WHEN
        Log.info("hello", Map.of("k", "v"));
        // THEN
        assertThat(Logger.getLogger("").getHandlers()).containsExactlyElementsOf(before);
        assertThat(Logger.getLogger("dev.mlops").getUseParentHandlers()).isFalse();
    }

    @Test
    void powertoolsLogLevel_shouldSetTheLevelOfOurAndTheLibrariesLoggers() {
        // WHEN
        Log.configure("DEBUG");
        // THEN
        assertThat(Log.LOGGERS).allSatisfy(l -> assertThat(l.getLevel()).isEqualTo(Level.FINE));
        // WHEN
        Log.configure("warn");
        // THEN
        assertThat(Logger.getLogger("org.tribuo").isLoggable(Level.INFO)).isFalse();
        assertThat(Logger.getLogger("dev.mlops").isLoggable(Level.WARNING)).isTrue();
    }

    @Test
    void aRecord_shouldBeOneJsonLineWithItsFields() {
        String line = new Log.JsonFormatter().format(record());
        assertThat(line).startsWith("{\"timestamp\":").contains("\"level\":\"WARN\"").contains("\"message\":\"m\"")
                .contains("\"run_id\":\"r\"").endsWith(System.lineSeparator());
    }

    private static java.util.logging.LogRecord record() {
        java.util.logging.LogRecord r = new java.util.logging.LogRecord(Level.WARNING, "m");
        r.setLoggerName("dev.mlops");
        r.setParameters(new Object[] {Map.of("run_id", "r")});
        return r;
    }
}
