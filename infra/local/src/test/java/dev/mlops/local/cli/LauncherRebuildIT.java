package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops} builds a checkout whose sources changed since its build (not for files in the build's own output),
 * and one that was moved or copied since its build: the build's class path names the modules' jars by absolute path,
 * so without a rebuild the moved checkout would run the old place's jars (or none, once that is gone), and validate's
 * CDS archive, written for that class path, would never map. The launcher is copied into a checkout of its build's
 * files alone, with a {@code mvn} on PATH that only notes it ran.
 */
class LauncherRebuildIT {

    @TempDir
    Path dir;

    @Test
    void aCheckoutBuiltElsewhere_shouldBeRebuiltBeforeItRuns() throws Exception {
        // GIVEN a checkout whose class path was written by a build of another folder
        Path checkout = builtCheckout(dir.resolve("elsewhere"));

        // WHEN a command runs
        run(checkout, "--help");

        // THEN Maven built it first
        assertThat(dir.resolve("mvn-ran")).exists();
    }

    @Test
    void aCheckoutBuiltInPlace_shouldRunWithoutABuild() throws Exception {
        // GIVEN a checkout whose class path was written by its own build, nothing changed since
        Path checkout = builtCheckout(dir.resolve("checkout"));

        // WHEN a command runs
        run(checkout, "--help");

        // THEN Maven did not run
        assertThat(dir.resolve("mvn-ran")).doesNotExist();
    }

    @Test
    void aSourceChangedSinceTheBuild_shouldBeBuilt_butNotTheBuildsOwnOutput() throws Exception {
        // GIVEN a checkout built in place, then a file written into a module's build output
        Path checkout = builtCheckout(dir.resolve("checkout"));
        Path output = Files.createDirectories(checkout.resolve("functions/core/target/generated-sources"));
        later(Files.writeString(output.resolve("Generated.java"), "class Generated {}"));

        // WHEN a command runs
        run(checkout, "--help");

        // THEN Maven did not run
        assertThat(dir.resolve("mvn-ran")).doesNotExist();

        // AND GIVEN a source changed since the build, WHEN a command runs, THEN Maven built it first
        Path sources = Files.createDirectories(checkout.resolve("functions/core/src/main/java"));
        later(Files.writeString(sources.resolve("Changed.java"), "class Changed {}"));
        run(checkout, "--help");
        assertThat(dir.resolve("mvn-ran")).exists();
    }

    /** Dates a file a minute after the build's stamp (file times can be coarse). */
    private void later(Path file) throws IOException {
        FileTime stamp = Files.getLastModifiedTime(dir.resolve("checkout/infra/local/target/.mlops-built"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(stamp.toMillis() + 60_000));
    }

    /**
     * A checkout at {@code dir/checkout}: the launcher and what a build leaves, its class path written by a build at
     * {@code builtAt}.
     */
    private Path builtCheckout(Path builtAt) throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(Repo.file("mlops"), checkout.resolve("mlops"));
        Path target = Files.createDirectories(checkout.resolve("infra/local/target/emulators"));
        Files.writeString(target.resolve("s3mock-exec.jar"), "");
        Files.writeString(checkout.resolve("infra/local/target/classpath.txt"),
                builtAt.resolve("functions/core/target/mlops-core-0.1.0-SNAPSHOT.jar") + ":/m2/a-library.jar");
        Files.writeString(checkout.resolve("infra/local/target/.mlops-built"), "");
        return checkout;
    }

    /** The checkout's launcher with a {@code mvn} first on PATH that touches {@code dir/mvn-ran}. */
    private void run(Path checkout, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"),
                "#!/usr/bin/env bash\ntouch '" + dir.resolve("mvn-ran") + "'\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] command = new String[args.length + 1];
        command[0] = checkout.resolve("mlops").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().remove("MLOPS_SKIP_BUILD");
        builder.environment().remove("MLOPS_HOME");
        Process process = builder.start();
        // (the command itself then fails: the class path names no real jar; only whether Maven ran matters)
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("./mlops " + String.join(" ", args) + " ended").isTrue();
    }
}
