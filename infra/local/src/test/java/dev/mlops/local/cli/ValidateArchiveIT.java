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
 * module's jar (this build's, packaged before the integration tests), then {@code validate} runs down each common path
 * that must map it ({@code -Xshare:on} fails a run otherwise) and find every class they load in it: no class of the
 * project or of a library read from a jar, and no jar of the class path opened at all (the app class loader opens
 * one, with a {@code URLClassPath$JarLoader}, only for a class or resource the archive does not give; a class that is
 * not there at all, such as the Groovy class picocli looks for, or java.util.logging's backend, opens every jar).
 * And the runs that map it compile the row loop: JDK 17's dynamic archive (written at the exit of the run it holds)
 * kept the "queued for compilation" flag of the methods in the JIT's queue at that moment, and such a method was never
 * compiled again in any run that mapped it (JDK-8306460).
 */
class ValidateArchiveIT {

    /** Libraries a validate uses, whose classes the archive must hold. */
    private static final List<String> LIBRARIES = List.of(" dev.mlops.", " com.fasterxml.jackson.", " picocli.",
            " org.apache.datasketches.", " me.tongfei.progressbar.", " de.siegmar.fastcsv.");

    @TempDir
    Path dir;

    @Test
    void aValidateWithJsonConfigAndHtml_shouldReadNoClassFromAJar() throws Exception {
        // GIVEN the archive written by the script
        Path archive = archive();

        // WHEN validate runs with a config, the JSON report and the page, mapping the archive
        Path config = Files.writeString(dir.resolve("config.json"), "{\"validation\": {\"max_error_rows\": 50}}");
        Path out = dir.resolve("out.txt");
        List<String> loaded = validate(archive, out, List.of(), "--json", "--config", config.toString(), "--html",
                dir.resolve("report.html").toString(), Repo.file("data/iris.csv").toString());

        // THEN it validated the file, and read none of those classes from a jar
        assertThat(Files.readString(out)).contains("\"valid\" : true", "\"rows\" : 150");
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        assertThat(loaded).anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper source: shared"))
                .anyMatch(l -> l.contains(" dev.mlops.core.pipeline.PipelineConfig source: shared"));
        assertAllFromTheArchive(loaded);
    }

    @Test
    void aBigFileInPartsWithItsProgress_andAQuotedFile_shouldReadNoClassFromAJar() throws Exception {
        // GIVEN the archive, a numeric file past the size validate reads in parts and shows progress for (32 MB),
        // and a file with quoted cells (data/letter.csv: the full CSV parser reads it)
        Path archive = archive();
        Path big = dir.resolve("big.csv");
        try (var w = Files.newBufferedWriter(big)) {
            w.write("a,b,c,d,e,f,g,h,label\n");
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            for (int i = 0; i < 600_000; i++) {
                for (int c = 0; c < 8; c++) {
                    w.write(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian() * (c + 1)));
                }
                w.write(i % 2 == 0 ? "x\n" : "y\n");
            }
        }
        assertThat(Files.size(big)).isGreaterThan(32L << 20);

        // WHEN validate runs on each, mapping the archive (the big file's run printing what the JIT compiles)
        List<String> parts = validate(archive, dir.resolve("big.txt"), List.of("-XX:+PrintCompilation"),
                big.toString());
        List<String> quoted = validate(archive, dir.resolve("quoted.txt"), List.of(), "--label", "lettr",
                Repo.file("data/letter.csv").toString());

        // THEN the big file was read in parts with its progress bar, the quoted one by FastCSV, all from the archive
        assertThat(Files.readString(dir.resolve("big.txt"))).contains("(600,000 rows");
        assertThat(Files.readAllLines(dir.resolve("big.txt"))).as("the row loop compiled by C2")
                .anyMatch(l -> l.matches(".* 4 +dev\\.mlops\\.core\\.data\\.CellChecks::takeLine .*"));
        assertThat(parts).anyMatch(l -> l.contains(" dev.mlops.core.data.CsvParts source: shared"))
                .anyMatch(l -> l.contains(" me.tongfei.progressbar.ProgressBar source: shared"));
        assertThat(quoted).anyMatch(l -> l.contains(" de.siegmar.fastcsv.reader.CsvReader source: shared"));
        assertAllFromTheArchive(parts);
        assertAllFromTheArchive(quoted);
    }

    /** The archive the script writes, on the class path the launcher gives validate. */
    private Path archive() throws Exception {
        Path archive = dir.resolve("validate.jsa");
        int written = run(dir.resolve("script.txt"), "bash", Repo.file("infra/local/validate-archive.sh").toString(),
                archive.toString(), classPath(), "-XX:+UseSerialGC");
        assertThat(written).isZero();
        assertThat(archive).isNotEmptyFile();
        return archive;
    }

    /**
     * {@code validate ARGS} mapping the archive (or failing), in a JVM with {@code jvmOptions} too: the classes it
     * loaded, one log line each.
     */
    private List<String> validate(Path archive, Path out, List<String> jvmOptions, String... args) throws Exception {
        Path loaded = Files.createTempFile(dir, "classes", ".log");
        List<String> command = new ArrayList<>(List.of("java", "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:class+load=info:file=" + loaded, "-XX:+UseSerialGC",
                "-Dmlops.root=" + Repo.root(), "-Dmlops.stderr.columns=0", "-cp", classPath()));
        command.addAll(jvmOptions);
        command.addAll(List.of("dev.mlops.local.cli.Main", "validate"));
        command.addAll(List.of(args));
        int code = run(out, command.toArray(String[]::new));
        assertThat(code).as(Files.readString(out)).isZero();
        return Files.readAllLines(loaded, StandardCharsets.UTF_8);
    }

    private static void assertAllFromTheArchive(List<String> loaded) {
        assertThat(loaded).filteredOn(l -> l.contains(" source: file:") || l.contains(" source: jar:"))
                .noneMatch(l -> LIBRARIES.stream().anyMatch(l::contains));
        assertThat(loaded).as("a jar of the class path opened").noneMatch(l -> l.contains("URLClassPath$JarLoader "));
    }

    private static String classPath() throws IOException {
        return moduleJar() + ":" + Files.readString(Repo.file("infra/local/target/classpath.txt")).strip();
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
