package dev.mlops.local.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The functions' one log: every environment's lines, whole, and on stderr only when asked. */
class FunctionOutputTest {

    @TempDir
    Path home;
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private PrintStream realErr;

    @BeforeEach
    void captureStderr() {
        realErr = System.err;
        System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(realErr);
        FunctionOutput.echo(true);
    }

    @Test
    void quiet_shouldWriteTheLinesToTheLogOnly() throws Exception {
        // GIVEN the command line's quiet default
        FunctionOutput.echo(false);

        // WHEN an environment's line arrives
        try (FunctionOutput output = FunctionOutput.open(FunctionOutput.logFile(home))) {
            output.line("{\"level\":\"INFO\",\"message\":\"from the function\"}");
        }

        // THEN it is in HOME/logs/functions.log, and not on the terminal
        assertThat(Files.readString(home.resolve("logs/functions.log")))
                .isEqualTo("{\"level\":\"INFO\",\"message\":\"from the function\"}\n");
        assertThat(terminal.size()).isZero();
    }

    @Test
    void withEcho_shouldWriteTheLinesToBoth() throws Exception {
        // GIVEN --verbose
        FunctionOutput.echo(true);

        // WHEN a metric line arrives
        try (FunctionOutput output = FunctionOutput.open(FunctionOutput.logFile(home))) {
            output.line("{\"_aws\":{}}");
        }

        // THEN the log and the terminal have it
        assertThat(Files.readString(home.resolve("logs/functions.log"))).isEqualTo("{\"_aws\":{}}\n");
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("{\"_aws\":{}}\n");
    }

    @Test
    void linesOfEnvironmentsAtOnce_shouldNeverMix() throws Exception {
        // GIVEN four environments' copiers writing long lines at the same time
        FunctionOutput.echo(false);
        List<Thread> copiers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (FunctionOutput output = FunctionOutput.open(FunctionOutput.logFile(home))) {
            for (char c : "abcd".toCharArray()) {
                Thread copier = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 200; i++) {
                        output.line(String.valueOf(c).repeat(10_000));
                    }
                });
                copier.start();
                copiers.add(copier);
            }

            // WHEN they run
            go.countDown();
            for (Thread copier : copiers) {
                copier.join();
            }
        }

        // THEN every line is one environment's whole line
        List<String> lines = Files.readAllLines(home.resolve("logs/functions.log"));
        assertThat(lines).hasSize(800).allSatisfy(line -> assertThat(line).hasSize(10_000)
                .matches(String.valueOf(line.charAt(0)) + "+"));
    }
}
