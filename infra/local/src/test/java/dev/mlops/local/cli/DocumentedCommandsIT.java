package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import dev.mlops.local.cli.DocumentedCommands.Command;
import dev.mlops.local.cli.DocumentedCommands.Page;
import dev.mlops.local.runtime.RuntimeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README and the pages of {@code docs/}, walked as a newcomer would: {@code ./mlops demo} first (it starts
 * and stops its own stack), then {@code ./mlops local up} in the background, then every command of every
 * {@code bash} block, page after page in the index's order, each through {@code bash} and the real launcher in a
 * scratch folder (with {@code data/}, {@code events/} and {@code ./mlops} linked in, {@code $API} set to the
 * stack's HTTP API), then {@code ./mlops local down}. Each command must exit as its comment says ({@code (exit N)},
 * else 0), leave stderr readable (no NUL byte, no SLF4J line), and show what {@link #SHOWS} says its output shows.
 * Every command's output is kept in {@code target/documented-commands.log}.
 */
class DocumentedCommandsIT {

    /**
     * What some commands' output shows, loosely: a command (as its text starts; the longest such start counts) and
     * strings its stdout contains.
     */
    private static final Map<String, List<String>> SHOWS = Map.ofEntries(
            Map.entry("./mlops demo", List.of("\"verdict\" : \"DRIFTED\"", "\"run_status\" : \"SUCCEEDED\"")),
            Map.entry("./mlops models list", List.of("iris", "production v")),
            Map.entry("./mlops upload data/wine.csv --dataset wine --wait", List.of("SUCCEEDED", "model wine v1")),
            Map.entry("./mlops upload data/pima.csv", List.of("SUCCEEDED", "model pima v1")),
            Map.entry("./mlops runs show iris-d3b09efd6de0066a211e69284451f0d4", List.of("SUCCEEDED")),
            Map.entry("./mlops drift history --model iris", List.of("DRIFTED")),
            Map.entry("echo '[{\"sepal_length_cm\":6.7", List.of("\"predictions\"", "virginica")),
            Map.entry("./mlops validate broken.csv", List.of("INVALID", "TYPE_MISMATCH")),
            Map.entry("./mlops validate data/iris.csv --dataset iris", List.of("VALID")),
            Map.entry("./mlops drift compare --reference data/iris.csv --current grown.csv",
                    List.of("DRIFTED: 2 of 4 columns drifted")),
            Map.entry("./mlops drift compare --reference data/iris.csv --current grown.csv --json",
                    List.of("\"verdict\" : \"DRIFTED\"")),
            Map.entry("./mlops models rollback iris --reason", List.of("CHANGED")),
            Map.entry("./mlops models promote iris 2 --reason", List.of("CHANGED")),
            Map.entry("./mlops feedback iris --file labels.csv", List.of("accepted 1 label")),
            Map.entry("curl -s -X POST \"$API/v1/models/iris:predict\"", List.of("\"model_version\"", "\"request_id\"")),
            Map.entry("curl -s -X POST \"$API/v1/models/iris:feedback\" -d '{\"request_id\"", List.of("\"accepted\":1")),
            Map.entry("curl -s -X POST \"$API/v1/models/iris:feedback\" -d '{\"feedback\"", List.of("\"accepted\":2")),
            Map.entry("./mlops train train.csv", List.of("best: #")),
            Map.entry("curl -s -X POST \"$API/v1/models/iris:explain\"", List.of("\"explanations\"", "\"contributions\"",
                    "\"method\"")),
            Map.entry("echo '[{\"sepal_length_cm\":5.9", List.of("instance 0:", "base ", "petal_length_cm")),
            Map.entry("./mlops train data/iris.csv --label label --out iris-search", List.of("best: #")),
            Map.entry("./mlops batch score data/iris.csv", List.of("SUCCEEDED", "150 rows, 0 errors", "saved")),
            Map.entry("./mlops batch show iris iris-all", List.of("SUCCEEDED", "predictions")),
            Map.entry("./mlops batch score data/iris.csv --model iris --job iris-why", List.of("SUCCEEDED", "saved")));

    @TempDir
    Path work;

    private Path home;
    private Path scratch;
    private Path transcript;
    private String api = "";

    @Test
    void everyCommandOfTheReadmeAndTheDocs_shouldRunAsDocumented() throws Exception {
        // GIVEN a scratch folder that looks like the repository to the commands, and an empty state folder
        home = work.resolve("home");
        scratch = Files.createDirectories(work.resolve("walk"));
        for (String linked : List.of("data", "events", "mlops")) {
            Files.createSymbolicLink(scratch.resolve(linked), Repo.file(linked));
        }
        transcript = Repo.file("infra/local/target/documented-commands.log");
        Files.writeString(transcript, "");
        List<String> failures = new ArrayList<>();
        List<Page> pages = DocumentedCommands.pages();
        List<Command> readme = DocumentedCommands.commands(pages.get(0), DocumentedCommands.LOCAL);

        // WHEN the README's first command runs on its own: the demo starts and stops its own stack
        Command demo = readme.get(0);
        assertThat(demo.shell()).isEqualTo("./mlops demo");
        Result first = run(demo.shell());
        check(demo, first, failures);
        assertThat(failures).as("the demo").isEmpty();
        assertThat(first.stderr().lines()).as("the demo's stderr: progress lines only")
                .allSatisfy(line -> assertThat(line).matches("(\\[mlops]|\\[local]| ).*"));

        // AND then, with a stack kept up as the pages suggest, every command of every page, in order
        Path upOut = work.resolve("local-up.out");
        Path upErr = work.resolve("local-up.err");
        Process up = bash("./mlops local up").redirectOutput(upOut.toFile()).redirectError(upErr.toFile()).start();
        int ran = 1;
        try {
            RuntimeInfo info = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> RuntimeInfo.readLive(home).orElse(null), i -> i != null || !up.isAlive());
            assertThat(info).as("local up started: " + Files.readString(upErr)).isNotNull();
            api = info.apiUrl();
            for (Page page : pages) {
                for (Command command : DocumentedCommands.commands(page, DocumentedCommands.LOCAL)) {
                    if (command.equals(demo) || DocumentedCommands.NOT_RUN.containsKey(command.shell())) {
                        continue;
                    }
                    check(command, run(command.shell()), failures);
                    ran++;
                }
            }
        } finally {
            Result down = run("./mlops local down");
            assertThat(up.waitFor(2, TimeUnit.MINUTES)).as("local up stopped: " + down.stdout()).isTrue();
            for (String linked : List.of("data", "events", "mlops")) {
                Files.delete(scratch.resolve(linked)); // the links, not what they point at
            }
        }

        // THEN every command did what its page says, and local up's stderr was readable throughout
        assertThat(failures).as(failures.size() + " of " + ran + " documented commands failed (transcript: "
                + transcript + ")").isEmpty();
        byte[] upErrBytes = Files.readAllBytes(upErr);
        assertThat(upErrBytes).as("NUL bytes in local up's stderr").doesNotContain((byte) 0);
        assertThat(new String(upErrBytes, StandardCharsets.UTF_8)).doesNotContain("SLF4J").doesNotContain("\"level\":");
    }

    private record Result(int exit, String stdout, String stderr, byte[] stderrBytes) {
    }

    private ProcessBuilder bash(String shell) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", shell).directory(scratch.toFile());
        builder.environment().put("MLOPS_HOME", home.toString());
        builder.environment().put("MLOPS_SKIP_BUILD", "1"); // this build is the one running
        builder.environment().put("API", api);
        return builder;
    }

    private Result run(String shell) throws Exception {
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        long started = System.nanoTime();
        Process process = bash(shell).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        int exit = process.isAlive() || !process.waitFor(10, TimeUnit.SECONDS) ? -1 : process.exitValue();
        byte[] errBytes = Files.readAllBytes(err);
        Result result = new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                new String(errBytes, StandardCharsets.UTF_8), errBytes);
        Files.writeString(transcript, String.format("$ %s%n[exit %d, %.1f s]%n%s%s%n", shell, exit,
                (System.nanoTime() - started) / 1e9, result.stdout(), result.stderr().isEmpty() ? ""
                        : "[stderr]\n" + result.stderr()), StandardOpenOption.APPEND);
        return result;
    }

    /** Whether the command did what its page says; what it did not, added to {@code failures}. */
    private static void check(Command command, Result result, List<String> failures) {
        List<String> wrong = new ArrayList<>();
        if (result.exit() != command.exit()) {
            wrong.add("exit " + result.exit() + ", documented " + command.exit());
        }
        for (byte b : result.stderrBytes()) {
            if (b == 0) {
                wrong.add("NUL bytes in stderr");
                break;
            }
        }
        if (result.stderr().contains("SLF4J")) {
            wrong.add("SLF4J lines in stderr");
        }
        shows(command.shell()).ifPresent(expected -> expected.stream().filter(s -> !result.stdout().contains(s))
                .forEach(s -> wrong.add("stdout does not show " + s)));
        if (!wrong.isEmpty()) {
            failures.add(command.where() + " `" + command.shell() + "`: " + String.join("; ", wrong)
                    + "\n  stdout: " + tail(result.stdout()) + "\n  stderr: " + tail(result.stderr()));
        }
    }

    private static Optional<List<String>> shows(String shell) {
        return SHOWS.entrySet().stream().filter(e -> shell.startsWith(e.getKey()))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue);
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 600 ? t : "…" + t.substring(t.length() - 600);
    }
}
