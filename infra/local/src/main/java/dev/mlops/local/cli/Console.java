package dev.mlops.local.cli;

import java.io.PrintStream;

/**
 * Where output goes. Results go to the real standard output; everything else (progress, logs,
 * the functions' own prints) goes to standard error, so {@code --json} output is clean JSON.
 */
final class Console {

    static final PrintStream RESULT = System.out;

    private Console() {
    }

    /** Sends {@code System.out} to stderr for the rest of the run; call first thing. */
    static void captureStdout() {
        System.setOut(System.err);
    }

    static void progress(String message) {
        System.err.println("[mlops] " + message);
    }
}
