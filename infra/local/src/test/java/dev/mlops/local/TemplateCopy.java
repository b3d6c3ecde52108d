package dev.mlops.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A copy of template.yaml (with the state machine it refers to) that a test changes, in a folder of its own. */
final class TemplateCopy implements AutoCloseable {

    private final Path dir;

    private TemplateCopy(Path dir) {
        this.dir = dir;
    }

    /** The project's template with {@code from} replaced by {@code to} (the text must occur exactly once). */
    static TemplateCopy replacing(String from, String to) throws IOException {
        return replacing(java.util.Map.of(from, to));
    }

    /** The project's template with each key replaced by its value (each key must occur exactly once). */
    static TemplateCopy replacing(java.util.Map<String, String> replacements) throws IOException {
        String text = Files.readString(Repo.file("template.yaml"));
        for (var r : replacements.entrySet()) {
            assertThat(text.split(java.util.regex.Pattern.quote(r.getKey()), -1))
                    .as("occurrences of the text to replace").hasSize(2);
            text = text.replace(r.getKey(), r.getValue());
        }
        Path dir = Files.createTempDirectory("mlops-template-");
        Files.writeString(dir.resolve("template.yaml"), text);
        Path machines = dir.resolve("infra/statemachine");
        Files.createDirectories(machines);
        try (Stream<Path> files = Files.list(Repo.file("infra/statemachine"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Files.copy(f, machines.resolve(f.getFileName()));
            }
        }
        return new TemplateCopy(dir);
    }

    Path file() {
        return dir.resolve("template.yaml");
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
