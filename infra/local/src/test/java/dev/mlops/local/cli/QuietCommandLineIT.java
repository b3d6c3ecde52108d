package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import dev.mlops.local.emulators.NodeModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./mlops} writes to a redirected stderr ({@code 2>file}), through the real launcher: progress lines
 * only, whole, with no NUL byte and no SLF4J warning; the hosted functions' JSON logs and EMF metric lines go to
 * {@code HOME/logs/functions.log}, and to stderr only with {@code --verbose}.
 */
class QuietCommandLineIT {

    @TempDir
    Path dir;

    /** The launcher, run in the repository with its stdout and stderr in files; the exit code. */
    private int mlops(Path stdout, Path stderr, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.file("mlops").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.root().toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("MLOPS_SKIP_BUILD", "1"); // this build is the one running
        builder.environment().remove("MLOPS_HOME");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("./mlops " + String.join(" ", args) + " ended").isTrue();
        return process.exitValue();
    }

    @Test
    void aCommandThatHostsTheFunctions_shouldWriteOnlyItsProgressToStderr_andTheFunctionsLogsToTheLogFile()
            throws Exception {
        // GIVEN no running stack: the command starts one and hosts the functions itself
        Path home = dir.resolve("home");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");

        // WHEN a command that invokes a function runs with stderr in a file
        int code = mlops(out, err, "models", "list", "--home", home.toString());

        // THEN stderr is readable progress: no NUL, no SLF4J, no JSON log or metric line
        assertThat(code).as(Files.readString(err)).isZero();
        assertReadableProgressOnly(err);
        // AND the function's logs and its EMF metrics are in the log file
        String log = Files.readString(home.resolve("logs/functions.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("\"function\":\"", "\"message\":\"registry list_models\"", "\"_aws\":{");
        assertThat(log.lines()).allSatisfy(line -> assertThat(line).startsWith("{"));
    }

    @Test
    void withVerbose_theFunctionsLogsShouldStreamToStderrToo() throws Exception {
        // GIVEN no running stack
        Path home = dir.resolve("home");
        Path err = dir.resolve("err.txt");

        // WHEN the same command runs with --verbose
        int code = mlops(dir.resolve("out.txt"), err, "models", "list", "--verbose", "--home", home.toString());

        // THEN stderr has the function's JSON lines as well as the progress, and still no SLF4J line
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("[mlops] starting the local environment", "\"message\":\"registry list_models\"");
        assertThat(text).doesNotContain("SLF4J").doesNotContain("\0");
    }

    @Test
    void npmCi_shouldLeaveARedirectedStderrWhole() throws Exception {
        // GIVEN a folder with the emulators' package files and no node_modules, and a JVM whose stderr is a file
        Path node = Files.createDirectories(dir.resolve("node"));
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(Repo.file("infra/local/node/" + file), node.resolve(file));
        }
        Path err = dir.resolve("err.txt");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NpmCi.class.getName(), node.toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err.toFile()).start();

        // WHEN it writes a line, installs the packages with npm ci, and writes another
        assertThat(jvm.waitFor(10, TimeUnit.MINUTES)).isTrue();

        // THEN the file holds both lines, in order, and no NUL byte (npm used to truncate it)
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(jvm.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("\0").startsWith("before npm ci\n").endsWith("after npm ci\n")
                .contains("[local] installing the emulators' npm packages");
        assertThat(node.resolve("node_modules/.package-lock.json")).exists();
    }

    /** Run in a JVM of its own by {@link #npmCi_shouldLeaveARedirectedStderrWhole}. */
    static final class NpmCi {
        public static void main(String[] args) throws IOException {
            System.err.println("before npm ci");
            NodeModules.ensureInstalled(Path.of(args[0]));
            System.err.println("after npm ci");
        }
    }

    /** Every line is the command line's progress ([mlops]), the runtime's notice ([local]) or its continuation. */
    private static void assertReadableProgressOnly(Path stderr) throws IOException {
        byte[] bytes = Files.readAllBytes(stderr);
        assertThat(bytes).as("NUL bytes in stderr").doesNotContain((byte) 0);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("SLF4J").doesNotContain("\u001b");
        assertThat(text.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches("(\\[mlops\\]|\\[local\\]| ).*"));
    }
}
