package dev.mlops.core.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task of a dataset: named by the upload, or inferred from its label with the report saying so. */
class TaskInferenceTest {

    private static DatasetScan scan(String csv, String task) {
        return DatasetScanner.scan(TestTables.of(csv), DatasetScanner.Mode.infer("y", task), ValidationConfig.defaults());
    }

    private static String numbers(int n, boolean fractional) {
        StringBuilder s = new StringBuilder("x,y\n");
        for (int i = 0; i < n; i++) {
            s.append(i).append(',').append(fractional ? i * 1.5 + 0.25 : i % 3).append('\n');
        }
        return s.toString();
    }

    @Test
    void aNumericLabelWithManyValues_shouldBeInferredARegression_andTheReportSaysSo() {
        DatasetScan scan = scan(numbers(60, true), null);
        assertThat(scan.schema().task()).isEqualTo("regression");
        assertThat(scan.schema().labelValues()).isNull();
        assertThat(scan.taskReason()).startsWith("inferred regression").contains("--task");
        assertThat(scan.profile().target()).isNotNull();
        assertThat(scan.profile().target().count()).isEqualTo(60);
        assertThat(scan.profile().labels()).isEmpty();
    }

    @Test
    void aFewWholeNumbers_orWords_shouldBeInferredAClassification() {
        DatasetScan few = scan(numbers(60, false), null);
        assertThat(few.schema().task()).isEqualTo("classification");
        assertThat(few.taskReason()).startsWith("inferred classification").contains("3 distinct value(s)");
        assertThat(scan("x,y\n1,a\n2,b\n", null).schema().task()).isEqualTo("classification");
    }

    @Test
    void aNamedTask_shouldStand_withNoInference() {
        DatasetScan named = scan(numbers(60, false), "regression");
        assertThat(named.schema().task()).isEqualTo("regression");
        assertThat(named.taskReason()).isNull();
        assertThatThrownBy(() -> DatasetScanner.Mode.infer("y", "ranking")).hasMessageContaining("unknown task");
    }

    @Test
    void aRegressionLabelThatIsNotANumber_shouldBeAnErrorSayingSo() {
        DatasetScan scan = scan("x,y\n1,2.5\n2,cheap\n3,4.5\n", "regression");
        assertThat(scan.valid()).isFalse();
        assertThat(scan.anomalies().get(0).message()).contains("the label column \"y\" of a regression must be a number");
    }

    @Test
    void aSchemaStoredBeforeTasks_shouldReadAsAClassification() throws Exception {
        Schema old = dev.mlops.core.Json.MAPPER.readValue("{\"label\":\"y\",\"features\":[]}", Schema.class);
        assertThat(old.task()).isEqualTo("classification");
        assertThat(old.regression()).isFalse();
    }
}
