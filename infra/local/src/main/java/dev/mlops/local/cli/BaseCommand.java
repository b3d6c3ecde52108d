package dev.mlops.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every command that does something shares: the global options (declared once on
 * {@link MlopsCommand}), where results go, and how a command reports a usage error.
 *
 * <p>{@code call()} returns {@link MlopsCommand#OK} or {@link MlopsCommand#FAILED}. It must check its
 * arguments before it opens a {@link Session}, and report a bad one with {@link #usageError}: a usage
 * error never starts the emulators. Any other exception is a runtime error (exit code 1).
 */
abstract class BaseCommand implements Callable<Integer> {

    /**
     * Indented output, as people read it; Map keys are written as they are. In a holder, so that a command that
     * prints no JSON does not start Jackson (a sixth of a short command's start).
     */
    private static final class Pretty {
        static final ObjectWriter WRITER = Json.MAPPER.writerWithDefaultPrettyPrinter();
    }

    @Spec
    CommandSpec spec;

    /** The top-level command, where picocli sets the inherited global options. */
    private MlopsCommand global() {
        return (MlopsCommand) spec.root().userObject();
    }

    final boolean json() {
        return global().json;
    }

    final Path home() {
        return global().home();
    }

    final boolean verbose() {
        return global().verbose;
    }

    final Path root() {
        return MlopsCommand.projectRoot();
    }

    /** How a stack this command starts runs: {@code --no-iam}, {@code --schedule-speedup}. */
    final dev.mlops.local.runtime.LocalEnvironment.Options environmentOptions() {
        if (!(global().scheduleSpeedup >= 1)) {
            throw usageError("--schedule-speedup must be at least 1, not " + global().scheduleSpeedup);
        }
        return dev.mlops.local.runtime.LocalEnvironment.Options.defaults(root())
                .withIam(!global().noIam).withScheduleSpeedup(global().scheduleSpeedup);
    }

    /** The environment to work against: the running one, or one started for this command. */
    final Session openSession() throws IOException {
        return Session.open(root(), home(), verbose(), environmentOptions());
    }

    /** Standard output: results only (progress goes to {@link Console#progress}). */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A mistake in how this command was called: exit code 2, with this command's usage. */
    final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** An input file the command reads; a missing one is a usage error. */
    final Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw usageError("no such file: " + file);
        }
        return file;
    }

    /**
     * A JSON input file read into {@code type} with the strict contract (a dataset's {@code config.json}, a
     * schema); a missing file or a contract error (unknown field, bad value) is a usage error naming the file.
     */
    final <T> T readJsonFile(Path file, Class<T> type) throws IOException {
        try {
            return Json.read(Files.readAllBytes(requireFile(file)), type);
        } catch (ContractException e) {
            throw usageError(file + ": " + e.getMessage());
        }
    }

    /** Prints {@code out} as JSON with {@code --json}, else the human summary; returns {@code code}. */
    final int report(Map<String, Object> out, String human, int code) throws IOException {
        if (json()) {
            print(out);
        } else {
            out().println(human);
        }
        return code;
    }

    /** Prints one JSON document. */
    final void print(Object value) throws IOException {
        out().println(pretty(value));
    }

    static String pretty(Object value) throws JsonProcessingException {
        return Pretty.WRITER.writeValueAsString(value);
    }

    /** The JSON a function returned, or its text when it is not JSON. */
    static Object parseOrText(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return text;
        }
    }
}
