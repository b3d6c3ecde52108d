package dev.mlops.local.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One emulator process. Its output goes to a log file; a line {@code READY <port>} on its stdout
 * completes {@link #ready()}. Our end of its stdin stays open for its whole life: when this JVM
 * dies for any reason the pipe closes and the child (or its watchdog) exits.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();

    private ChildProcess(String name, Process process, Path log, boolean append, String echoed) throws IOException {
        this.name = name;
        this.process = process;
        PrintStream logStream = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), true, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    logStream.println(line);
                    int at = echoed == null ? -1 : line.indexOf(echoed);
                    if (at >= 0) {
                        System.err.println(line.substring(at));
                    }
                    if (!ready.isDone() && line.startsWith("READY ")) {
                        ready.complete(Integer.parseInt(line.substring(6).trim()));
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // the process ended; ready() reports it
            } finally {
                logStream.close();
                ready.completeExceptionally(new IOException(name + " exited with code " + exitCode()
                        + " before it was ready; see " + log));
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a command in {@code workDir}, stderr merged into stdout, logging to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log) throws IOException {
        return start(name, command, workDir, log, false);
    }

    /** The same, appending to the log (a restart keeps what the process that died wrote). */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, boolean append)
            throws IOException {
        return start(name, command, workDir, log, append, null);
    }

    /** The same, also writing to stderr each line that contains {@code echoed} (from there on; null: none). */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, boolean append,
                                     String echoed) throws IOException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        return new ChildProcess(name, p, log, append, echoed);
    }

    /** Completes when the process has exited, however. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The process and everything it started, now. */
    public List<ProcessHandle> tree() {
        List<ProcessHandle> all = new java.util.ArrayList<>();
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

    /** SIGTERM, then SIGKILL after five seconds; also kills anything the child started. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
