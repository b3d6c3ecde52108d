package dev.mlops.local.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One child process (an emulator, or a function's execution environment). Its output goes to a log file (or
 * another {@link Output}); a line {@code READY <port>} on its stdout completes {@link #awaitReady}. Our end of its stdin stays open for its whole
 * life: when this JVM dies for any reason the pipe closes and the child (or its watchdog) exits.
 *
 * <p>It runs in a process group of its own ({@code setsid}, where the system has it), and stopping it signals the
 * whole group: what it started (S3Mock's JVM behind its Node watchdog) goes with it even when the child itself
 * was killed first and its children were handed to init. The thread that copies its output survives anything a
 * line can throw, counts the lines it could not write, and says so; lines are cut at {@value #MAX_LINE} characters,
 * so no output can exhaust this JVM.
 */
public final class ChildProcess implements AutoCloseable {

    /** Longest line kept whole; the rest of a longer line is dropped (and counted). */
    static final int MAX_LINE = 16 * 1024;
    private static final boolean GROUPS = Files.isExecutable(Path.of("/usr/bin/setsid"))
            && Files.isExecutable(Path.of("/bin/kill"));

    /**
     * How to start a child.
     *
     * @param environment its whole environment (null: this process's)
     * @param echo        which of its lines are also written to this process's stderr (from {@code echoFrom} on)
     * @param echoFrom    where an echoed line starts: the text that marks it, or "" for the whole line
     */
    public record Options(boolean appendLog, Map<String, String> environment, Predicate<String> echo, String echoFrom) {

        /** A fresh log, this process's environment, nothing echoed. */
        public static Options defaults() {
            return new Options(false, null, line -> false, "");
        }

        public Options appending(boolean append) {
            return new Options(append, environment, echo, echoFrom);
        }

        public Options withEnvironment(Map<String, String> env) {
            return new Options(appendLog, env, echo, echoFrom);
        }

        /** Echoes the part of each line from {@code marker} on, for lines that contain it. */
        public Options echoingFrom(String marker) {
            return new Options(appendLog, environment, line -> line.contains(marker), marker);
        }

        /** Echoes whole lines that pass {@code which}. */
        public Options echoing(Predicate<String> which) {
            return new Options(appendLog, environment, which, "");
        }
    }

    /**
     * Where a child's output goes, one whole line at a time (the copier's thread is the only caller for one child;
     * an output shared by several children takes care of their interleaving).
     */
    public interface Output {

        /** Writes one line (without its line break). */
        void line(String line);

        /** Where the lines can be read, for messages. */
        String where();

        /** The child's output ended: nothing more is written through this output for it. */
        void ended();

        /** A log file of its own: created, or appended to with {@code append}. */
        static Output file(Path log, boolean append) throws IOException {
            Files.createDirectories(log.getParent());
            PrintStream stream = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), true,
                    StandardCharsets.UTF_8);
            return new Output() {
                @Override
                public void line(String line) {
                    stream.println(line);
                }

                @Override
                public String where() {
                    return log.toString();
                }

                @Override
                public void ended() {
                    stream.close();
                }
            };
        }
    }

    private final String name;
    private final Process process;
    private final Output output;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final AtomicLong linesLost = new AtomicLong();

    private ChildProcess(String name, Process process, Output output, Options options) {
        this.name = name;
        this.process = process;
        this.output = output;
        Thread pump = new Thread(() -> pump(process.getInputStream(), options), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a command in {@code workDir}, stderr merged into stdout, logging to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log) throws IOException {
        return start(name, command, workDir, log, Options.defaults());
    }

    /** The same, appending to the log (a restart keeps what the process that died wrote). */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, boolean append)
            throws IOException {
        return start(name, command, workDir, log, Options.defaults().appending(append));
    }

    /** The same, also writing to stderr each line that contains {@code echoed} (from there on; null: none). */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, boolean append,
                                     String echoed) throws IOException {
        Options options = Options.defaults().appending(append);
        return start(name, command, workDir, log, echoed == null ? options : options.echoingFrom(echoed));
    }

    /** Starts a command in {@code workDir}, in a process group of its own, stderr merged into stdout. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, Options options)
            throws IOException {
        return start(name, command, workDir, Output.file(log, options.appendLog()), options);
    }

    /** The same, its lines written to {@code output} ({@code options}' log setting does not apply). */
    public static ChildProcess start(String name, List<String> command, Path workDir, Output output, Options options)
            throws IOException {
        List<String> full = new ArrayList<>();
        if (GROUPS) {
            full.add("/usr/bin/setsid"); // not a group leader when spawned, so setsid execs in place: same pid
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true);
        if (options.environment() != null) {
            builder.environment().clear();
            builder.environment().putAll(options.environment());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            output.ended();
            throw e;
        }
        return new ChildProcess(name, process, output, options);
    }

    /** Copies the child's output to its log until the child closes it, whatever a line throws on the way. */
    private void pump(InputStream childOutput, Options options) {
        Reader reader = new BufferedReader(new InputStreamReader(childOutput, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        boolean cut = false;
        try {
            while (true) {
                int c;
                try {
                    c = reader.read();
                } catch (IOException closed) {
                    break;
                }
                if (c < 0) {
                    break;
                }
                if (c != '\n') {
                    if (line.length() < MAX_LINE) {
                        line.append((char) c);
                    } else {
                        cut = true;
                    }
                    continue;
                }
                try {
                    handle(line.toString(), options);
                    if (cut) {
                        linesLost.incrementAndGet();
                    }
                } catch (Throwable t) {
                    lost("a line could not be written", t);
                }
                line.setLength(0);
                cut = false;
            }
            if (!line.isEmpty()) {
                handle(line.toString(), options);
            }
        } catch (Throwable t) {
            lost("the output copier stopped", t);
            drain(childOutput);
        } finally {
            output.ended();
            ready.completeExceptionally(new IOException(name + " exited with code " + exitCode()
                    + " before it was ready; see " + output.where()));
            if (linesLost.get() > 0) {
                System.err.println("[local] " + name + ": " + linesLost.get() + " line(s) of its output lost or cut"
                        + " at " + MAX_LINE + " characters (log: " + output.where() + ")");
            }
        }
    }

    /** The first {@code READY <port>} line completes {@link #awaitReady}; every other line goes to the output. */
    private void handle(String line, Options options) {
        if (!ready.isDone() && line.startsWith("READY ")) {
            try {
                ready.complete(Integer.parseInt(line.substring(6).trim()));
                return;
            } catch (NumberFormatException notAPort) {
                // an ordinary line after all
            }
        }
        output.line(line);
        if (options.echo().test(line)) {
            System.err.println(line.substring(Math.max(0, line.indexOf(options.echoFrom()))));
        }
    }

    private void lost(String what, Throwable t) {
        if (linesLost.incrementAndGet() == 1) {
            System.err.println("[local] " + name + ": " + what + " (" + t + "); its output goes on being read");
        }
    }

    /** Reads the rest of the output and drops it, so the child never blocks on a full pipe. */
    private static void drain(InputStream output) {
        byte[] sink = new byte[8192];
        try {
            while (output.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    /** Completes when the process has exited, however. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The process and everything it started, now. */
    public List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /** The exit code, or "?" while it runs. */
    public String exitCode() {
        try {
            return String.valueOf(process.exitValue());
        } catch (IllegalThreadStateException running) {
            return "?";
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Lines of its output that could not be written whole so far. */
    public long linesLost() {
        return linesLost.get();
    }

    /** Waits for the {@code READY <port>} line and returns the port. */
    public int awaitReady(Duration timeout) throws IOException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + name, e);
        }
    }

    /**
     * SIGKILL to its whole process group (and to what it started, where groups are not available), as a crash
     * would end it; returns at once.
     */
    public void kill() {
        signalGroup("KILL");
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** SIGTERM to its group, then SIGKILL after five seconds; also ends anything it started (and any orphan of it). */
    @Override
    public void close() {
        signalGroup("TERM");
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        // Whatever outlived the child in its group (an orphan holding a port) goes too.
        signalGroup("KILL");
    }

    /** Sends a signal to the child's process group (its pid: setsid made it the leader), which may outlive it. */
    private void signalGroup(String signal) {
        if (!GROUPS) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("/bin/kill", "-" + signal, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("[local] cannot signal the process group of " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
