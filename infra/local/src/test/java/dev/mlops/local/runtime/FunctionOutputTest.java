package dev.mlops.local.runtime;

import dev.mlops.aws.FunctionEnvironment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which stream a write goes to: the functions' log when a function writes it, else the terminal. */
class FunctionOutputTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    private PrintStream routed(boolean echo) {
        return new PrintStream(new FunctionOutput.Switch(new PrintStream(log, true, StandardCharsets.UTF_8),
                new PrintStream(terminal, true, StandardCharsets.UTF_8), echo), true, StandardCharsets.UTF_8);
    }

    @Test
    void aFunctionsLine_shouldGoToTheLog_andTheHostsToTheTerminal() {
        // GIVEN the switch, without echo
        PrintStream out = routed(false);

        // WHEN a function writes a log line and the host writes a notice
        FunctionEnvironment.with(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"), () -> {
            out.println("{\"level\":\"INFO\",\"message\":\"from the function\"}");
            return null;
        });
        out.println("[local] from the host");

        // THEN each is where it belongs, whole
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("{\"level\":\"INFO\",\"message\":\"from the function\"}"
                + System.lineSeparator());
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("[local] from the host" + System.lineSeparator());
    }

    @Test
    void aFunctionsBackgroundWork_shouldGoToTheLogToo() throws Exception {
        // GIVEN a function's background work, on a thread of its own with the function's environment
        PrintStream out = routed(false);
        var work = FunctionEnvironment.with(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"),
                () -> FunctionEnvironment.inherited(() -> {
                    out.println("{\"message\":\"capture batch written\"}");
                    return null;
                }));

        // WHEN it runs
        Thread thread = new Thread(work::get);
        thread.start();
        thread.join();

        // THEN its line is in the log, not on the terminal
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("capture batch written");
        assertThat(terminal.size()).isZero();
    }

    @Test
    void withEcho_aFunctionsLine_shouldGoToBoth() {
        // GIVEN the switch with echo (--verbose)
        PrintStream out = routed(true);

        // WHEN a function writes
        FunctionEnvironment.with(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"), () -> {
            out.println("{\"_aws\":{}}");
            return null;
        });

        // THEN the log and the terminal have it
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("{\"_aws\":{}}");
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("{\"_aws\":{}}");
    }
}
