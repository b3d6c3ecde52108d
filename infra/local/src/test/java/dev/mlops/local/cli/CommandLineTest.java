package dev.mlops.local.cli;

import dev.mlops.local.Repo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Help;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code ./mlops} parses its arguments: usage help, usage errors and exit codes, global options.
 * Parse-level only: every call goes to an empty {@code --home}, and {@link #nothingStarted} checks it is
 * still empty afterwards, so no test here starts the local environment.
 */
class CommandLineTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void nothingStarted() throws IOException {
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).as("files the local environment would write to --home").isEmpty();
        }
    }

    // ------------------------------------------------------------------ --help

    @TestFactory
    Stream<DynamicTest> everyCommandsHelp_shouldPrintItsUsageOnStdoutAndExit0() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            for (String help : List.of("--help", "-h")) {
                tests.add(DynamicTest.dynamicTest(String.join(" ", path) + " " + help, () -> {
                    // GIVEN a command (the top-level one, a group or a leaf) and its help option
                    List<String> args = new ArrayList<>(path);
                    args.add(help);

                    // WHEN it is run
                    int code = mlops(args.toArray(String[]::new));

                    // THEN its own usage is on stdout, nothing on stderr, exit code 0
                    assertThat(code).isZero();
                    assertThat(out.toString()).startsWith(("Usage: ./mlops " + String.join(" ", path)).strip() + " ");
                    assertThat(err.toString()).isEmpty();
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void topLevelHelp_shouldListEveryCommandAndTheExitCodes() {
        // GIVEN the top-level help
        // WHEN it is printed
        int code = mlops("--help");

        // THEN it lists every runnable command on one line each, then the exit codes
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("  demo ", "  local up ", "  local down ", "  upload ", "  invoke ", "  predict ", "  drift check ")
                .contains("  train ", "  runs list ", "  runs show ")
                .contains("Exit codes:", "  0   ok", "  1   failed", "  2   usage error");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandList_shouldShowWholeSentences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            tests.add(DynamicTest.dynamicTest((String.join(" ", path) + " --help").strip(), () -> {
                // GIVEN a command's help
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                mlops(args.toArray(String[]::new));

                // WHEN its list of commands is read, each entry's wrapped lines joined
                Map<String, String> summaries = commandList(out.toString());

                // THEN every command listed (groups list theirs) has a summary that ends a sentence
                summaries.forEach((command, summary) -> assertThat(summary).as(command).isNotBlank()
                        .matches(".*[.!?]$"));
                out.getBuffer().setLength(0);
            }));
        }
        return tests.stream();
    }

    @Test
    void theCommandList_shouldNameEachCommandByTheFirstSentenceOfItsDescription() {
        // GIVEN a command whose first sentence wraps onto a second description line (runs retry)
        // WHEN the top-level help lists it
        mlops("--help");

        // THEN the list shows that sentence whole, and not the next one
        assertThat(commandList(out.toString()).get("runs retry"))
                .isEqualTo("Start a new attempt of a FAILED, ABORTED or TIMED_OUT run (a RUNNING one whose execution"
                        + " ended is reconciled first), with its own execution name, linked to the run it retries"
                        + " (through the registry function's retry_run action).");
        assertThat(commandList(out.toString()).get("models approve"))
                .isEqualTo("Approve a PENDING_APPROVAL version: it is promoted from the champion it was blessed"
                        + " against.");
    }

    /** The "Commands:" section of a usage: each command with its summary, wrapped lines joined. */
    private static Map<String, String> commandList(String usage) {
        Map<String, String> rows = new LinkedHashMap<>();
        int start = usage.indexOf("\nCommands:\n");
        if (start < 0) {
            return rows;
        }
        String last = null;
        for (String line : usage.substring(start + "\nCommands:\n".length()).split("\n")) {
            if (line.isBlank()) {
                break;
            }
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("^  (\\S+(?: \\S+)?)\\s{2,}(\\S.*)$").matcher(line);
            if (row.matches()) {
                last = row.group(1);
                rows.put(last, row.group(2).strip());
            } else if (last != null) {
                rows.put(last, rows.get(last) + " " + line.strip());
            }
        }
        return rows;
    }

    @Test
    void helpAfterAnIncompleteCommand_shouldStillBeHelp() {
        // GIVEN an upload missing its required FILE and --dataset
        // WHEN --help is given too
        int code = mlops("upload", "--help");

        // THEN the usage wins over the missing arguments
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: ./mlops upload ");
    }

    // ------------------------------------------------------------------ usage errors

    @Test
    void noCommand_shouldPrintTheTopUsageOnStderrAndExit2() {
        // GIVEN no arguments at all
        // WHEN ./mlops runs
        int code = new CommandLineRun().execute();

        // THEN it says a command is missing, with the top usage, exit code 2
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("error: missing command").contains("Usage: ./mlops [-h]", "Exit codes:");
    }

    @TestFactory
    Stream<DynamicTest> groupWithoutItsSubcommand_shouldBeAUsageErrorWithExitCode2() {
        return Stream.of("local", "drift").map(group -> DynamicTest.dynamicTest(group, () -> {
            // GIVEN a command group without one of its subcommands
            // WHEN it is run
            int code = mlops(group);

            // THEN it is a usage error with the group's usage
            assertUsageError(code, "error: missing command", "Usage: ./mlops " + group + " ");
        }));
    }

    @TestFactory
    Stream<DynamicTest> unknownOption_shouldBeAUsageErrorWithExitCode2() {
        return commandPaths().stream().map(path -> DynamicTest.dynamicTest(String.join(" ", path) + " --bogus", () -> {
            // GIVEN any command with an option it does not have
            List<String> args = new ArrayList<>(path);
            args.add("--bogus");

            // WHEN it is run
            int code = mlops(args.toArray(String[]::new));

            // THEN it is a usage error naming the option, with that command's usage
            assertUsageError(code, "error: unknown option: '--bogus'",
                    ("Usage: ./mlops " + String.join(" ", path)).strip() + " ");
        }));
    }

    @Test
    void unknownCommand_shouldBeAUsageErrorWithExitCode2() {
        // GIVEN a command that does not exist
        // WHEN it is run
        int code = mlops("bogus");

        // THEN it is a usage error with the top usage
        assertUsageError(code, "error: unknown command: bogus", "Usage: ./mlops [-h]");
    }

    @Test
    void unknownSubcommand_shouldBeAUsageErrorWithTheGroupsUsage() {
        // GIVEN a subcommand that does not exist in its group
        // WHEN it is run
        int code = mlops("local", "sideways");

        // THEN it is a usage error with the group's usage
        assertUsageError(code, "error: unknown command: sideways", "Usage: ./mlops local ");
    }

    @Test
    void misspeltCommand_shouldSuggestTheNearestOne() {
        // GIVEN a typo in a command name
        // WHEN it is run
        int code = mlops("predcit");

        // THEN the error suggests the command meant
        assertUsageError(code, "error: unknown command: predcit (did you mean predict?)", "Usage: ./mlops [-h]");
    }

    @Test
    void misspeltOption_shouldBeReportedRatherThanTheOptionItLeftMissing() {
        // GIVEN a typo in a required option's name
        // WHEN it is run
        int code = mlops("upload", "data/iris.csv", "--datset", "iris");

        // THEN the error is the unknown option and what was meant, not the missing --dataset
        assertUsageError(code, "error: unknown options: '--datset', 'iris' (did you mean --dataset?)",
                "Usage: ./mlops upload ");
    }

    @Test
    void missingRequiredOption_shouldBeAUsageErrorWithExitCode2() {
        // GIVEN an upload without --dataset
        // WHEN it is run
        int code = mlops("upload", "data/iris.csv");

        // THEN it is a usage error naming the option
        assertUsageError(code, "error: missing required option: '--dataset=NAME'", "Usage: ./mlops upload ");
    }

    @TestFactory
    Stream<DynamicTest> missingRequiredArgument_shouldBeAUsageErrorWithExitCode2() {
        return Stream.of(
                new String[]{"upload", "--dataset", "iris"},
                new String[]{"invoke", "InferenceFunction"},
                new String[]{"invoke", "-e", "events/InferenceFunction/predict.json"},
                new String[]{"predict", "iris"},
                new String[]{"predict", "--instances", "-"}
        ).map(args -> DynamicTest.dynamicTest(String.join(" ", args), () -> {
            // GIVEN a command without one of its required parameters or options
            // WHEN it is run
            int code = mlops(args);

            // THEN it is a usage error saying what is missing, with that command's usage
            assertUsageError(code, "error: missing required ", "Usage: ./mlops " + args[0] + " ");
        }));
    }

    @Test
    void badName_shouldBeAUsageErrorWithTheRuleItBreaks() {
        // GIVEN a dataset name with upper-case letters and a space
        // WHEN it is uploaded
        int code = mlops("upload", "data/iris.csv", "--dataset", "Iris Flowers");

        // THEN it is a usage error quoting the naming rule
        assertUsageError(code, "error: invalid value for option '--dataset': dataset name \"Iris Flowers\" is invalid",
                "Usage: ./mlops upload ");
    }

    @Test
    void badModelName_shouldBeAUsageError() {
        // GIVEN a model name that cannot exist
        // WHEN a prediction is asked of it
        int code = mlops("predict", "../iris", "--instances", "-");

        // THEN it is a usage error before anything is read or started
        assertUsageError(code, "error: invalid value for positional parameter at index 0 (MODEL): model name",
                "Usage: ./mlops predict ");
    }

    @Test
    void aFileTheTriggerWouldNeverDeliver_shouldBeAUsageErrorBeforeAnythingIsSent(@TempDir Path files)
            throws Exception {
        // GIVEN a CSV whose extension is upper case: the S3 trigger's suffix filter (.csv) is case sensitive
        Path upper = java.nio.file.Files.copy(Repo.file("data/iris.csv"), files.resolve("x.CSV"));

        // WHEN it is uploaded
        int code = mlops("upload", upper.toString(), "--dataset", "iris", "--wait");

        // THEN it is refused with the reason (and @AfterEach checks that no environment was started)
        assertUsageError(code, "error: incoming/iris/x.CSV would never reach the pipeline: its trigger (template.yaml)"
                + " takes keys under incoming/ ending in .csv (case matters)", "Usage: ./mlops upload ");
    }

    @Test
    void missingInputFile_shouldBeAUsageErrorBeforeAnythingStarts() {
        // GIVEN a file that does not exist
        Path missing = home.resolve("missing.csv");

        // WHEN it is uploaded
        int code = mlops("upload", missing.toString(), "--dataset", "iris");

        // THEN it is a usage error (and @AfterEach checks that no environment was started)
        assertUsageError(code, "error: no such file: " + missing, "Usage: ./mlops upload ");
    }

    @Test
    void train_shouldRefuseAMissingFileALabelNotInTheFileAndABadConfig_asUsageErrors() throws Exception {
        // GIVEN a config with a typo, and a real file
        Path config = home.resolve("config.json");
        Files.writeString(config, "{\"training\": {\"famillies\": []}}");
        Path iris = dev.mlops.local.Repo.file("data/iris.csv");
        try {
            // WHEN / THEN
            assertUsageError(mlops("train", home.resolve("none.csv").toString(), "--label", "label"),
                    "error: no such file: " + home.resolve("none.csv"), "Usage: ./mlops train ");
            assertUsageError(mlops("train", iris.toString(), "--label", "species"),
                    "error: label column \"species\" is not in " + iris
                            + "; its columns: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm, label",
                    "Usage: ./mlops train ");
            int code = mlops("train", iris.toString(), "--label", "label", "--config", config.toString());
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("unknown field \"training.famillies\"");
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void runsList_shouldRefuseALimitBelowOne() {
        assertUsageError(mlops("runs", "list", "--limit", "0"), "error: --limit must be at least 1, got 0",
                "Usage: ./mlops runs list ");
    }

    @Test
    void driftCheckHtml_shouldNeedOneModel() {
        // GIVEN a report page asked for without naming the model (every model's check would compete for one page)
        // WHEN / THEN a usage error, before any environment starts
        assertUsageError(mlops("drift", "check", "--html", "drift.html"), "error: --html needs --model",
                "Usage: ./mlops drift check ");
    }

    @Test
    void usageError_shouldBeOneLineThenABlankLineThenTheUsage() {
        // GIVEN an unknown option
        // WHEN it is run
        mlops("demo", "--bogus");

        // THEN the error is a single line followed by the usage
        String[] lines = err.toString().split("\\R", 3);
        assertThat(lines[0]).startsWith("error: ");
        assertThat(lines[1]).isEmpty();
        assertThat(lines[2]).startsWith("Usage: ./mlops demo ");
    }

    // ------------------------------------------------------------------ global options

    @TestFactory
    Stream<DynamicTest> globalOptions_shouldBeAcceptedBeforeOrAfterTheCommand() {
        Path elsewhere = home.resolve("elsewhere");
        return Stream.of(
                new String[]{"--json", "--home", elsewhere.toString(), "drift", "check"},
                new String[]{"drift", "check", "--json", "--home", elsewhere.toString()},
                new String[]{"--json", "drift", "check", "--home=" + elsewhere},
                new String[]{"local", "--home", elsewhere.toString(), "up", "--json"},
                new String[]{"upload", "data/iris.csv", "--json", "--dataset", "iris", "--home", elsewhere.toString()}
        ).map(args -> DynamicTest.dynamicTest(String.join(" ", args), () -> {
            // GIVEN --json and --home around a command
            CommandLine commandLine = Main.commandLine(new PrintWriter(out), new PrintWriter(err), args);
            MlopsCommand top = commandLine.getCommand();

            // WHEN the arguments are parsed
            commandLine.parseArgs(args);

            // THEN both reach the top-level command, wherever they were typed
            assertThat(top.json).isTrue();
            assertThat(top.home()).isEqualTo(elsewhere.toAbsolutePath().normalize());
        }));
    }

    @Test
    void noGlobalOptions_shouldMeanTextOutput() {
        // GIVEN a command without --json
        CommandLine commandLine = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
        MlopsCommand top = commandLine.getCommand();

        // WHEN it is parsed
        commandLine.parseArgs("local", "down");

        // THEN output is for people
        assertThat(top.json).isFalse();
    }

    @TestFactory
    Stream<DynamicTest> everyCommandsUsage_shouldBeTheSameFromTheTreeOfItsGroupAsFromTheWholeTree() {
        return commandPaths().stream().filter(path -> !path.isEmpty()).map(path -> DynamicTest.dynamicTest(
                String.join(" ", path), () -> {
                    // GIVEN a command's words and --help
                    List<String> args = new ArrayList<>(path);
                    args.add("--help");
                    String[] argv = args.toArray(String[]::new);

                    // WHEN its usage is printed by the whole tree and by the tree main builds for these arguments
                    StringWriter whole = new StringWriter();
                    int wholeCode = Main.commandLine(new PrintWriter(whole, true), new PrintWriter(new StringWriter()))
                            .execute(argv);
                    StringWriter partial = new StringWriter();
                    CommandLine tree = Main.commandLine(new PrintWriter(partial, true),
                            new PrintWriter(new StringWriter()), argv);
                    int partialCode = tree.execute(argv);

                    // THEN the same text and exit code, from a tree that holds that group only
                    assertThat(partial.toString()).isEqualTo(whole.toString()).isNotEmpty();
                    assertThat(partialCode).isEqualTo(wholeCode).isZero();
                    assertThat(tree.getSubcommands().values().stream().distinct().count()).isEqualTo(1);
                }));
    }

    // ------------------------------------------------------------------ helpers

    /** Runs ./mlops with {@code args} against the empty test home. */
    private int mlops(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home=" + home);
        return new CommandLineRun().execute(all.toArray(String[]::new));
    }

    /** The command tree as Main builds it, writing to this test's emptied buffers, without colours. */
    private final class CommandLineRun {
        int execute(String... args) {
            out.getBuffer().setLength(0); // dynamic tests share one instance
            err.getBuffer().setLength(0);
            // as main builds it: only the group the first argument names, all of them when it names none
            CommandLine commandLine = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args);
            commandLine.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
            return commandLine.execute(args);
        }
    }

    private void assertUsageError(int code, String error, String usage) {
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).as("stdout").isEmpty();
        String[] lines = err.toString().split("\\R");
        assertThat(lines[0]).startsWith(error);
        assertThat(err.toString()).contains("\n" + usage);
    }

    /** Every command of the tree as the words that call it: [], [demo], [local], [local, up], ... */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        for (CommandLine sub : new LinkedHashSet<>(command.getSubcommands().values())) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getCommandName());
            collect(sub, subPath, paths);
        }
    }
}
