package dev.mlops.core.train;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RareClassesTest {

    /** Wine with only six rows of class_2: a rare class next to two common ones. */
    private static CsvTable wineWithARareClass() {
        CsvTable wine = TestTables.file("../../data/wine.csv");
        int label = wine.columnIndex("label");
        List<List<String>> rows = new ArrayList<>();
        int kept = 0;
        for (List<String> row : wine.rows()) {
            if (!row.get(label).equals("class_2") || kept++ < 6) {
                rows.add(row);
            }
        }
        return new CsvTable(wine.header(), rows);
    }

    private static Set<List<String>> rows(CsvTable t, List<Integer> indices) {
        return indices.stream().map(t.rows()::get).collect(Collectors.toSet());
    }

    @Test
    void aRareClass_shouldGetRowsInEveryPartition_withoutATestRowEverLeavingTest() {
        CsvTable t = wineWithARareClass();
        Schema schema = Schema.infer(t, "label");
        int label = t.columnIndex("label");
        for (long seed = 0; seed < 40; seed++) {
            // GIVEN the hash partition of this seed
            SplitSpec spec = new SplitSpec(SplitSpec.ROW_HASH, seed, 0.2, 0.2);
            Split hashed = spec.split(t, schema);
            // WHEN
            RareClasses.Adjusted adjusted = RareClasses.adjust(t, schema, spec, hashed);
            Split s = adjusted.split();
            // THEN every hash-TEST row is still a test row (what keeps champion comparisons fair)
            assertThat(s.testRows()).containsAll(hashed.testRows());
            // AND the rare class trains, validates and tests (6 rows: targets 1 and 1)
            for (List<Integer> part : List.of(s.trainRows(), s.validationRows(), s.testRows())) {
                assertThat(part.stream().filter(r -> t.rows().get(r).get(label).equals("class_2")).count())
                        .as("seed %d", seed).isPositive();
            }
            // AND the common classes are left alone
            assertThat(adjusted.moves()).allSatisfy(m -> assertThat(m.label()).isEqualTo("class_2"));
            assertThat(adjusted.moves()).noneMatch(m -> m.from() == SplitSpec.Partition.TEST);
            // AND the split is still a partition of the labelled rows, training rows in hash order
            List<Integer> all = new ArrayList<>(s.trainRows());
            all.addAll(s.validationRows());
            all.addAll(s.testRows());
            assertThat(all).doesNotHaveDuplicates().hasSize(t.rows().size());
            assertThat(adjusted.moves()).hasSize((int) s.testRows().stream().filter(r -> !hashed.testRows().contains(r))
                    .count() + countMovedOutOfOrIntoValidation(hashed, s));
        }
    }

    private static int countMovedOutOfOrIntoValidation(Split before, Split after) {
        Set<Integer> v0 = new HashSet<>(before.validationRows());
        Set<Integer> v1 = new HashSet<>(after.validationRows());
        int n = 0;
        for (int r : v0) {
            n += v1.contains(r) ? 0 : 1;
        }
        for (int r : v1) {
            n += v0.contains(r) ? 0 : 1;
        }
        return n;
    }

    @Test
    void theRowsMoved_shouldNotDependOnTheFilesOrder() {
        // GIVEN the same rows in another order
        CsvTable t = wineWithARareClass();
        List<List<String>> shuffled = new ArrayList<>(t.rows());
        Collections.shuffle(shuffled, new Random(3));
        CsvTable other = new CsvTable(t.header(), shuffled);
        Schema schema = Schema.infer(t, "label");
        SplitSpec spec = new SplitSpec(SplitSpec.ROW_HASH, 11, 0.2, 0.2);
        // WHEN
        RareClasses.Adjusted a = RareClasses.adjust(t, schema, spec, spec.split(t, schema));
        RareClasses.Adjusted b = RareClasses.adjust(other, schema, spec, spec.split(other, schema));
        // THEN the same rows in each partition, the same rows trained on in the same order, the same moves
        assertThat(new HashSet<>(b.moves())).isEqualTo(new HashSet<>(a.moves()));
        assertThat(rows(other, b.split().testRows())).isEqualTo(rows(t, a.split().testRows()));
        assertThat(rows(other, b.split().validationRows())).isEqualTo(rows(t, a.split().validationRows()));
        assertThat(b.split().trainRows().stream().map(other.rows()::get).toList())
                .isEqualTo(a.split().trainRows().stream().map(t.rows()::get).toList());
    }

    @Test
    void commonClasses_shouldKeepTheHashPartitionUntouched() {
        // GIVEN iris: 50 rows a class, 10 expected in each held-out partition
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        SplitSpec spec = new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2);
        Split hashed = spec.split(iris, schema);
        // WHEN / THEN
        RareClasses.Adjusted adjusted = RareClasses.adjust(iris, schema, spec, hashed);
        assertThat(adjusted.moves()).isEmpty();
        assertThat(adjusted.split()).isEqualTo(hashed);
    }
}
