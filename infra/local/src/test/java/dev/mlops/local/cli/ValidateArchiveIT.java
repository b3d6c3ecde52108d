package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/local/validate-archive.sh}, which writes the AppCDS archive {@code ./mlops validate} maps: run on the
 * module's jar (this build's, packaged before the integration tests), then a {@code validate} with {@code --json},
 * {@code --config} and {@code --html} that must map it ({@code -Xshare:on} fails the run otherwise) and find every
 * class of the project and of Jackson in it, none read from a jar.
 */
class ValidateArchiveIT {

    @TempDir
    Path dir;

    @Test
    void theArchive_shouldHoldEveryProjectAndJacksonClassOfAValidateWithJsonConfigAndHtml() throws Exception {
        // GIVEN the archive written by the script, on the class path the launcher gives validate
        String classPath = moduleJar() + ":" + Files.readString(Repo.file("infra/local/target/classpath.txt")).strip();
        Path archive = dir.resolve("validate.jsa");
        int written = run(dir.resolve("script.txt"), "bash", Repo.file("infra/local/validate-archive.sh").toString(),
                archive.toString(), classPath, "-XX:+UseSerialGC");
        assertThat(written).isZero();
        assertThat(archive).isNotEmptyFile();

        // WHEN validate runs with a config, the JSON report and the page, mapping the archive
        Path config = Files.writeString(dir.resolve("config.json"), "{\"validation\": {\"max_error_rows\": 50}}");
        Path loaded = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        int code = run(out, "java", "-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-Xlog:class+load=info:file=" + loaded, "-XX:+UseSerialGC",
                "-Dmlops.root=" + Repo.root(), "-Dmlops.stderr.columns=0", "-cp", classPath,
                "dev.mlops.local.cli.Main", "validate", "--json", "--config", config.toString(), "--html",
                dir.resolve("report.html").toString(), Repo.file("data/iris.csv").toString());

        // THEN it validated the file, and read none of those classes from a jar
        assertThat(code).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("\"valid\" : true", "\"rows\" : 150");
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        List<String> lines = Files.readAllLines(loaded, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper source: shared"))
                .anyMatch(l -> l.contains(" dev.mlops.core.pipeline.PipelineConfig source: shared"));
        assertThat(lines).filteredOn(l -> l.contains(" source: file:") || l.contains(" source: jar:"))
                .noneMatch(l -> l.contains(" dev.mlops.") || l.contains(" com.fasterxml.jackson."));
    }

    private static Path moduleJar() throws IOException {
        try (Stream<Path> jars = Files.list(Repo.file("infra/local/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("mlops-local-.*(?<!-tests|-sources)\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the module's jar is not built"));
        }
    }

    /** Runs a command in the repository with its stdout and stderr in {@code output}; the exit code. */
    private static int run(Path output, String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(Repo.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(String.join(" ", command) + " ended").isTrue();
        return process.exitValue();
    }
}
