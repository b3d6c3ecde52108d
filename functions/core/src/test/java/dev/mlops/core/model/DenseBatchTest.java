package dev.mlops.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.family.XGBoost;
import dev.mlops.core.model.family.XGBoostSupport;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DenseBatchTest {

    private static final String[] COLORS = {"red", "green", "blue"};

    @BeforeEach
    void xgboostLoads() {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
    }

    /** signal, weak, color, noise: a label of two or three classes, cells sometimes missing. */
    private static String[][] rows(int n, long seed) {
        Random random = new Random(seed);
        String[][] rows = new String[n][];
        for (int i = 0; i < n; i++) {
            double signal = random.nextGaussian();
            double weak = random.nextGaussian();
            rows[i] = new String[] {
                    String.format(Locale.ROOT, "%.4f", signal),
                    random.nextInt(10) == 0 ? "" : String.format(Locale.ROOT, "%.4f", weak),
                    random.nextInt(10) == 0 ? "" : COLORS[random.nextInt(COLORS.length)],
                    random.nextInt(20) == 0 ? "NA" : String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 3),
                    String.valueOf(2 * signal + weak + random.nextGaussian() * 0.3)};
        }
        return rows;
    }

    private static Predictor train(String[][] rows, int classes, String family) {
        StringBuilder csv = new StringBuilder("signal,weak,color,noise,label\n");
        for (String[] r : rows) {
            double score = Double.parseDouble(r[4]);
            String label = classes == 2 ? (score > 0 ? "yes" : "no") : (score > 1 ? "high" : score > -1 ? "mid" : "low");
            csv.append(String.join(",", r[0], r[1], r[2], r[3], label)).append('\n');
        }
        CsvTable table = TestTables.of(csv.toString());
        TrainingResult r = ModelTrainer.train(table, Schema.infer(table, "label"),
                new TrainingConfig(family, 42L, TrainingConfig.defaults().split(), Map.of()));
        return Predictor.load(r.artifact(), r.signature());
    }

    private static Map<String, String> instance(String[] row) {
        Map<String, String> m = new HashMap<>();
        String[] names = {"signal", "weak", "color", "noise"};
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], row[i].isEmpty() ? null : row[i]);
        }
        return m;
    }

    @Test
    void xgboost_shouldGiveThePredictionsPredictGives_forTwoAndThreeClasses() {
        for (int classes : new int[] {2, 3}) {
            // GIVEN an XGBoost model (standardised, as the pipeline trains it) and rows it has not seen
            Predictor predictor = train(rows(800, 1), classes, XGBoost.ID);
            DenseBatch dense = predictor.denseBatch().orElseThrow();
            String[][] unseen = rows(1000, 2);
            unseen[5][2] = "purple"; // a category the model never saw: no feature, as in :predict
            // WHEN encoded into one matrix and scored in one call
            float[] matrix = new float[unseen.length * dense.width()];
            for (int i = 0; i < unseen.length; i++) {
                assertThat(dense.encode(java.util.Arrays.copyOf(unseen[i], 4), matrix, i * dense.width())).isTrue();
            }
            List<Prediction> batch = dense.predict(matrix, unseen.length);
            // THEN each row's label and scores are exactly what predict gives it
            List<Map<String, String>> instances = new ArrayList<>();
            for (String[] row : unseen) {
                instances.add(instance(row));
            }
            List<Prediction> online = predictor.predict(instances);
            assertThat(batch).as("%d classes", classes).isEqualTo(online);
        }
    }

    @Test
    void rowsPredictMustAnswer_shouldBeLeftToIt() {
        Predictor predictor = train(rows(400, 3), 2, XGBoost.ID);
        DenseBatch dense = predictor.denseBatch().orElseThrow();
        float[] row = new float[dense.width()];
        assertThat(dense.encode(new String[] {"five", "1", "red", "0"}, row, 0)).as("not a number").isFalse();
        assertThat(dense.encode(new String[] {"", null, "NA", ""}, row, 0)).as("nothing usable").isFalse();
        assertThat(dense.encode(new String[] {"", "", "purple", ""}, row, 0)).as("an unknown category only").isFalse();
        assertThat(dense.encode(new String[] {"1e39", "", "", ""}, row, 0)).as("beyond a float").isFalse();
        assertThat(dense.encode(new String[] {" 1.5 ", "", "", ""}, row, 0)).as("a number, spaced").isTrue();
    }

    /** Cells read where they lie in a line's text encode as the same cells given as strings, refusals included. */
    @Test
    void cellsInAText_shouldEncodeAsTheSameCellsAsStrings() {
        Predictor predictor = train(rows(400, 3), 3, XGBoost.ID);
        DenseBatch dense = predictor.denseBatch().orElseThrow();
        List<String[]> cases = new ArrayList<>();
        for (String[] row : rows(500, 4)) {
            cases.add(java.util.Arrays.copyOf(row, 4));
        }
        cases.add(new String[] {"five", "1", "red", "0"});
        cases.add(new String[] {"", "", "NA", ""});
        cases.add(new String[] {" n/a ", "?", "purple", "null"});
        cases.add(new String[] {"1e39", "", "", ""});
        cases.add(new String[] {" 1.5 ", "-.5", "blue", "+3e2"});
        cases.add(new String[] {"nan", "inf", "green", "0x10"});
        for (String[] cells : cases) {
            String line = String.join(",", cells);
            char[] text = ("#" + line + "#").toCharArray(); // the cells inside a bigger text
            int[] from = new int[cells.length];
            int[] to = new int[cells.length];
            int at = 1;
            for (int i = 0; i < cells.length; i++) {
                from[i] = at;
                to[i] = at + cells[i].length();
                at = to[i] + 1;
            }
            float[] byStrings = new float[dense.width() + 2];
            float[] byText = new float[dense.width() + 2];
            boolean usable = dense.encode(cells, byStrings, 1);
            assertThat(dense.encode(text, from, to, byText, 1)).as(line).isEqualTo(usable);
            if (usable) {
                assertThat(byText).as(line).isEqualTo(byStrings);
            }
        }
    }

    @Test
    void otherFamilies_shouldHaveNoDensePath() {
        assertThat(train(rows(200, 4), 2, LogisticRegression.ID).denseBatch()).isEmpty();
    }
}
