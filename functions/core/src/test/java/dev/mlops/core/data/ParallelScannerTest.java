package dev.mlops.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A file scanned on several threads gives the scan of one pass, also when parts cannot and it falls back. */
class ParallelScannerTest {

    @TempDir
    Path dir;

    private static String csv(boolean longQuotedValue) {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("x,y,c,label\n");
        for (int i = 0; i < 5_000; i++) {
            String x = i % 401 == 5 ? "oops" : String.format(Locale.ROOT, "%.3f", r.nextGaussian());
            String c = longQuotedValue && i == 2_500 ? "\"" + "line\n".repeat(400) + "\"" : "k" + r.nextInt(4);
            csv.append(x).append(',').append(r.nextInt(1_000)).append(',').append(c).append(',')
                    .append(r.nextBoolean() ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }

    @Test
    void scanOnTwoThreads_shouldEqualOnePass() throws IOException {
        // GIVEN
        Path file = Files.writeString(dir.resolve("data.csv"), csv(false), StandardCharsets.UTF_8);
        DatasetScanner.Mode mode = DatasetScanner.Mode.infer("label");
        List<Long> progress = new ArrayList<>();
        // WHEN parts of about 10 kB on two threads
        DatasetScan parallel = ParallelScanner.scan(new FileRanges(file), mode, ValidationConfig.defaults(), 2,
                progress::add, 0, 10_000);
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(Files.readAllBytes(file)), mode,
                ValidationConfig.defaults());
        // THEN
        assertThat(parallel.sha256()).isEqualTo(one.sha256());
        assertThat(parallel.rows()).isEqualTo(one.rows()).isEqualTo(5_000);
        assertThat(parallel.valid()).isEqualTo(one.valid()).isFalse();
        assertThat(parallel.schema()).isEqualTo(one.schema());
        assertThat(parallel.anomalies()).containsExactlyInAnyOrderElementsOf(one.anomalies());
        assertThat(parallel.profile().labels()).isEqualTo(one.profile().labels());
        assertThat(parallel.profile().features().get("y").count()).isEqualTo(one.profile().features().get("y").count());
        assertThat(progress).hasSizeGreaterThan(5).isSorted().last().isEqualTo(Files.size(file));
    }

    @Test
    void aPartBoundaryInsideAQuotedValue_shouldFallBackToOnePass_withOnePassResult() throws IOException {
        // GIVEN a value of 400 lines that parts of 1 kB cut
        Path file = Files.writeString(dir.resolve("quoted.csv"), csv(true), StandardCharsets.UTF_8);
        DatasetScanner.Mode mode = DatasetScanner.Mode.infer("label");
        // WHEN
        DatasetScan parallel = ParallelScanner.scan(new FileRanges(file), mode, ValidationConfig.defaults(), 2,
                null, 0, 1_000);
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(Files.readAllBytes(file)), mode,
                ValidationConfig.defaults());
        // THEN exactly one pass's scan: no quoting error, the lines after the value numbered as one pass does
        assertThat(parallel.anomalies()).isEqualTo(one.anomalies());
        assertThat(parallel.anomalies()).extracting(Anomaly::kind).doesNotContain(AnomalyKind.BAD_QUOTING);
        assertThat(parallel.rows()).isEqualTo(5_000);
        assertThat(parallel.sha256()).isEqualTo(one.sha256());
    }
}
