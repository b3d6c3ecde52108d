package dev.mlops.core.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every dataset in {@code data/} validates clean, first as a first upload, then against its own inferred schema. */
class BundledDatasetsTest {

    private static DatasetScan scan(String file, DatasetScanner.Mode mode) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("../../data", file))) {
            return DatasetScanner.scan(in, mode, ValidationConfig.defaults());
        }
    }

    @ParameterizedTest
    @CsvSource({"iris.csv,label,150", "wine.csv,label,178", "breast_cancer.csv,label,569", "pima.csv,diabetes,768",
            "letter.csv,lettr,20000", "vehicle.csv,Class,846"})
    void aBundledDataset_shouldValidateCleanAgainstItsOwnInferredSchema(String file, String label, long rows)
            throws IOException {
        // GIVEN its first upload
        DatasetScan first = scan(file, DatasetScanner.Mode.infer(label));
        assertThat(first.anomalies()).as(file).isEmpty();
        assertThat(first.valid()).isTrue();
        assertThat(first.rows()).isEqualTo(rows);
        assertThat(first.schema().features()).allSatisfy(c -> assertThat(c.type()).isEqualTo(ColumnType.NUMERIC));
        // WHEN it is uploaded again, against the schema it settled
        DatasetScan again = scan(file, DatasetScanner.Mode.validate(first.schema()));
        // THEN
        assertThat(again.anomalies()).as(file).isEmpty();
        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertThat(again.profile().features().keySet()).isEqualTo(first.profile().features().keySet());
    }
}
