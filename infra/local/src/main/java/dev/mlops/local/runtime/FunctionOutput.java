package dev.mlops.local.runtime;

import dev.mlops.local.emulators.ChildProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the hosted functions' own output goes: one log, {@code HOME/logs/functions.log}. On Lambda a function's
 * standard output and error (its JSON logs, its CloudWatch EMF metric lines) go to CloudWatch Logs, not to whoever
 * invoked it; here every execution environment's lines, copied by the runtime, are appended to this one file, each
 * line whole (the JSON lines name their function). Each line is echoed to this process's stderr as well unless
 * the command line asked for quiet ({@link #echo}: it streams them only with {@code --verbose}); a test's JVM sees
 * them there by default.
 */
public final class FunctionOutput implements ChildProcess.Output, AutoCloseable {

    private static volatile boolean echo = true;

    private final Path file;
    private final OutputStream stream;

    private FunctionOutput(Path file, OutputStream stream) {
        this.file = file;
        this.stream = stream;
    }

    /** Whether the functions' lines are also written to this process's stderr, from now on (default: they are). */
    public static void echo(boolean on) {
        echo = on;
    }

    /** The functions' log of the stack whose data is in {@code home}. */
    public static Path logFile(Path home) {
        return home.resolve("logs").resolve("functions.log");
    }

    /** The functions' log of one stack: {@code logFile}, appended to. */
    static FunctionOutput open(Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        return new FunctionOutput(logFile, Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    /** One line of a function's output, written in one piece: lines of environments running at once never mix. */
    @Override
    public void line(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                stream.write(bytes);
                stream.flush();
            } catch (IOException e) {
                throw new IllegalStateException("cannot write to " + file + ": " + e.getMessage(), e);
            }
        }
        if (echo) {
            PrintStream err = System.err;
            err.write(bytes, 0, bytes.length);
            err.flush();
        }
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** One environment's output ended; the log stays open for the others. */
    @Override
    public void ended() {
        // shared by every environment of the stack: closed with the stack
    }

    @Override
    public synchronized void close() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
