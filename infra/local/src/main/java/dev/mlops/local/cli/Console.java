package dev.mlops.local.cli;

import dev.mlops.local.runtime.FunctionOutput;

import java.io.PrintStream;

/**
 * Where output goes. Results go to the real standard output; progress, notices and errors to the real standard
 * error; the hosted functions' own output (JSON logs, EMF metric lines) to {@code HOME/logs/functions.log}, as
 * Lambda sends it to CloudWatch Logs rather than to the caller ({@code --verbose} streams it to stderr too). So
 * {@code --json} output is clean JSON and {@code 2>file} holds what a person reads.
 */
final class Console {

    static final PrintStream RESULT = System.out;
    static final PrintStream ERR = System.err;

    /** Set by {@link Main#main}: this JVM is the command line's own process, whose streams it may redirect. */
    private static volatile boolean standalone;

    private Console() {
    }

    /** Sends {@code System.out} to stderr for the rest of the run (only results use stdout); call first thing. */
    static void captureStdout() {
        standalone = true;
        System.setOut(ERR);
    }

    /**
     * Before this process hosts the functions: their output goes to {@code HOME/logs/functions.log} only (with
     * {@code verbose}, to stderr too). In a test's JVM, which is not the command line's own process, nothing
     * changes (the test's stderr shows them as well).
     */
    static void routeFunctionOutput(boolean verbose) {
        if (standalone) {
            FunctionOutput.echo(verbose);
        }
    }

    static void progress(String message) {
        ERR.println("[mlops] " + TerminalText.escape(message));
    }

    /**
     * The width of the terminal stderr writes to, or 0 when stderr is a file or a pipe. The launcher measures it
     * ({@code -Dmlops.stderr.columns}); a JVM cannot tell a terminal from a file by itself.
     */
    static int terminalColumns() {
        return Integer.getInteger("mlops.stderr.columns", 0);
    }
}
