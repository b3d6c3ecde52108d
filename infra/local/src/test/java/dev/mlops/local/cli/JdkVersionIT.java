package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code ./mlops} on a JDK other than 17 or 21: DataSketches 6.2 (the column sketches) throws at its first sketch on
 * any other JDK, so the launcher refuses one up front, from the JDK's {@code release} file, with what to run instead.
 * A JDK is faked as a folder with that file and a {@code bin/java} that notes it ran and runs this test's own JVM.
 */
class JdkVersionIT {

    @TempDir
    Path dir;

    @Test
    void aJdkOtherThan17Or21_shouldBeRefusedBeforeAnyJvmStarts_sayingWhichToUse() throws Exception {
        // GIVEN java on PATH is a JDK 25
        Path jdk = fakeJdk("25.0.3");

        // WHEN a command runs
        Path out = dir.resolve("out.txt");
        int code = mlops(jdk, out, "validate", "data/iris.csv");

        // THEN it stops with the reason and no stack trace, and no JVM ran
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(1);
        assertThat(text).contains("mlops: java is JDK 25 (" + jdk.resolve("bin/java") + ")",
                "mlops runs on JDK 17 or 21").doesNotContain("Exception");
        assertThat(jdk.resolve("ran")).doesNotExist();
    }

    @Test
    void aJdk21_shouldRun() throws Exception {
        // GIVEN java on PATH is a JDK 21 (by its release file)
        Path jdk = fakeJdk("21.0.5");

        // WHEN a command runs
        Path out = dir.resolve("out.txt");
        int code = mlops(jdk, out, "--help");

        // THEN it ran, on that java
        assertThat(code).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("Usage: ./mlops");
        assertThat(jdk.resolve("ran")).exists();
    }

    @Test
    void onARealJdkOtherThan17Or21_theSketchLibraryThrows_andTheLauncherRefusesIt() throws Exception {
        // GIVEN a real JDK newer than 21 on this machine (Temurin 25 lies in /usr/lib/jvm on this project's machines)
        Optional<Path> newer = installedJdkNewerThan21();
        assumeThat(newer).as("a JDK newer than 21 under /usr/lib/jvm").isPresent();
        Path java = newer.get().resolve("bin/java");

        // WHEN validate runs on it without the launcher, then through it
        Path direct = dir.resolve("direct.txt");
        String classPath = Repo.file("infra/local/target/classes") + ":"
                + Files.readString(Repo.file("infra/local/target/classpath.txt")).strip();
        int directCode = run(direct, Map.of(), java.toString(), "-Dmlops.root=" + Repo.root(), "-cp", classPath,
                "dev.mlops.local.cli.Main", "validate", "data/iris.csv");
        Path launched = dir.resolve("launched.txt");
        int launchedCode = mlops(newer.get(), launched, "validate", "data/iris.csv");

        // THEN the library refuses that JDK at the first sketch (what the check is for; when it stops, the check can
        // go), and the launcher says so first
        assertThat(directCode).isNotZero();
        assertThat(Files.readString(direct)).contains("Unsupported JDK Major Version");
        assertThat(launchedCode).isEqualTo(1);
        assertThat(Files.readString(launched)).contains("mlops runs on JDK 17 or 21").doesNotContain("Exception");
    }

    /** A JDK folder with a release file of {@code version} and a bin/java that touches {@code ran}, then runs ours. */
    private Path fakeJdk(String version) throws IOException {
        Path jdk = Files.createDirectories(dir.resolve("jdk-" + version));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path bin = Files.createDirectories(jdk.resolve("bin"));
        String ours = ProcessHandle.current().info().command().orElseThrow();
        Path java = Files.writeString(bin.resolve("java"),
                "#!/usr/bin/env bash\ntouch '" + jdk.resolve("ran") + "'\nexec '" + ours + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private static Optional<Path> installedJdkNewerThan21() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> major(home.resolve("release")) > 21).findFirst();
        }
    }

    private static int major(Path release) {
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK we can tell
        }
        return 0;
    }

    /** The launcher with {@code jdk}'s bin first on PATH, in the repository; the exit code. */
    private static int mlops(Path jdk, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.file("mlops").toString()));
        command.addAll(List.of(args));
        return run(output, Map.of("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH"), "MLOPS_SKIP_BUILD", "1"),
                command.toArray(String[]::new));
    }

    /** Runs a command in the repository with its stdout and stderr in {@code output}; the exit code. */
    private static int run(Path output, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().remove("MLOPS_HOME");
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(String.join(" ", command) + " ended").isTrue();
        return process.exitValue();
    }
}
