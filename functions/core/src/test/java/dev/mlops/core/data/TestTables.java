package dev.mlops.core.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers to load tables. */
public final class TestTables {

    private TestTables() {
    }

    /**
     * Loads a CSV file relative to the module directory.
     *
     * @param path file path
     * @return the table
     */
    public static CsvTable file(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return CsvParser.parse(in, CsvLimits.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses inline CSV text.
     *
     * @param csv text
     * @return the table
     */
    public static CsvTable of(String csv) {
        try {
            return CsvParser.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
