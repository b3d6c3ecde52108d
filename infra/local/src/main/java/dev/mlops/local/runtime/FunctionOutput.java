package dev.mlops.local.runtime;

import dev.mlops.aws.FunctionEnvironment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the hosted functions' own output goes. On Lambda a function's standard output and error (its JSON logs,
 * its CloudWatch EMF metric lines) go to CloudWatch Logs, not to whoever invoked it. Here five functions share a
 * JVM with the command line, so {@link #route} points {@code System.out} and {@code System.err} at a switch: what
 * a thread running a function writes (one whose function environment is bound, including a function's
 * background work) goes to a log file, and everything else (the runtime's notices, the command line's stray
 * prints) to the terminal. With {@code echo}, the functions' lines go to the terminal too.
 *
 * <p>Route before the first function is loaded: a {@code java.util.logging.ConsoleHandler} keeps the
 * {@code System.err} it was created with.
 */
public final class FunctionOutput {

    private FunctionOutput() {
    }

    /**
     * Sends what functions write to {@code logFile} (appended; {@code echo}: and to {@code terminal}) and anything
     * else written to {@code System.out} or {@code System.err} to {@code terminal}, for the rest of this JVM.
     */
    public static synchronized void route(Path logFile, PrintStream terminal, boolean echo) throws IOException {
        Files.createDirectories(logFile.getParent());
        OutputStream file = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        PrintStream functions = new PrintStream(file, true, StandardCharsets.UTF_8);
        PrintStream routed = new PrintStream(new Switch(functions, terminal, echo), true, StandardCharsets.UTF_8);
        System.setOut(routed);
        System.setErr(routed);
    }

    /** Chooses the destination of each write by the thread that makes it. */
    static final class Switch extends OutputStream {
        private final PrintStream functions;
        private final PrintStream terminal;
        private final boolean echo;

        Switch(PrintStream functions, PrintStream terminal, boolean echo) {
            this.functions = functions;
            this.terminal = terminal;
            this.echo = echo;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (FunctionEnvironment.bound()) {
                functions.write(bytes, offset, length);
                if (echo) {
                    terminal.write(bytes, offset, length);
                }
            } else {
                terminal.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() {
            functions.flush();
            terminal.flush();
        }
    }
}
