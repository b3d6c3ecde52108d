package dev.mlops.core.train;

import dev.mlops.core.Json;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.family.ExtraTrees;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.family.RandomForest;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.core.search.LocalSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.model.task.Task;
import org.junit.jupiter.params.provider.Arguments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Same data, same configuration, same seed: the same metrics, the same predictions and the same
 * artifact bytes; and models saved by this version (kept under {@code src/test/resources/fixtures/models})
 * still load and predict what they predicted when they were saved.
 */
class ReproducibilityTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/models");

    /** Small forests keep the fixtures small; everything else is the family's default. */
    static Map<String, String> params(Family f) {
        return f.id().equals(RandomForest.ID) || f.id().equals(ExtraTrees.ID) ? Map.of("numTrees", "10") : Map.of();
    }

    /** Every family with the task it is tested on: classification where it has a classifier, else regression. */
    static List<Arguments> families() {
        List<Arguments> out = new ArrayList<>();
        for (Family f : Family.all()) {
            out.add(Arguments.of(f, f.supports(Classification.TASK) ? Classification.TASK : Regression.TASK));
        }
        return out;
    }

    /** Every fixture: each family's classification model (on iris), and each regression family's (on diamonds). */
    static List<Arguments> fixtures() {
        List<Arguments> out = new ArrayList<>();
        for (Family f : Family.all()) {
            if (f.supports(Classification.TASK)) {
                out.add(Arguments.of(f, Classification.TASK));
            }
        }
        for (Family f : Family.all()) {
            if (f.supports(Regression.TASK)) {
                out.add(Arguments.of(f, Regression.TASK));
            }
        }
        return out;
    }

    /** Where a fixture is: classification fixtures where they always were, regression ones under regression/. */
    static Path fixture(Family f, Task<?> task) {
        return task == Classification.TASK ? FIXTURES.resolve(f.id()) : FIXTURES.resolve("regression").resolve(f.id());
    }

    /** Every tenth row of the bundled diamonds sample (1,000 rows), a regression of price. */
    static CsvTable diamonds() {
        CsvTable all = TestTables.file("../../data/diamonds.csv");
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < all.rows().size(); r += 10) {
            rows.add(all.rows().get(r));
        }
        return new CsvTable(all.header(), rows);
    }

    static TrainingConfig config(Family f) {
        return new TrainingConfig(f.id(), 42, new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2), params(f), false, 5);
    }

    static List<Map<String, Object>> instances(CsvTable t, Schema s, int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Object> inst = new LinkedHashMap<>();
            for (var c : s.features()) {
                inst.put(c.name(), t.rows().get(r * 7 % t.rows().size()).get(t.columnIndex(c.name())));
            }
            out.add(inst);
        }
        return out;
    }

    private static void assumeRuns(Family f) {
        assumeThat(f.unavailableReason()).as("its native libraries load here").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("families")
    void sameDataConfigAndSeed_shouldGiveIdenticalMetricsPredictionsAndBytes(Family family, Task<?> task) {
        assumeRuns(family);
        // GIVEN pima (missing values included), or diamonds for a regression family, cross-validated selection as
        // the default search does it
        CsvTable pima = task == Classification.TASK ? TestTables.file("../../data/pima.csv") : diamonds();
        Schema schema = Schema.infer(pima, task == Classification.TASK ? "diabetes" : "price");
        // WHEN trained twice
        TrainingResult a = ModelTrainer.train(pima, schema, config(family));
        TrainingResult b = ModelTrainer.train(pima, schema, config(family));
        // THEN
        assertThat(b.metrics()).isEqualTo(a.metrics());
        assertThat(b.validation()).isEqualTo(a.validation());
        assertThat(b.artifact().sha256()).isEqualTo(a.artifact().sha256());
        List<Map<String, Object>> rows = instances(pima, schema, 50);
        assertThat(Predictor.load(b.artifact(), b.signature()).predict(rows))
                .isEqualTo(Predictor.load(a.artifact(), a.signature()).predict(rows));
    }

    @Test
    void theSameSearch_shouldGiveTheSameLeaderboard() {
        // GIVEN wine, the default search
        CsvTable wine = TestTables.file("../../data/wine.csv");
        // WHEN run twice
        LocalSearch.Outcome a = LocalSearch.run(wine, null, "label", null, TrainingSettings.defaults(), line -> { });
        LocalSearch.Outcome b = LocalSearch.run(wine, null, "label", null, TrainingSettings.defaults(), line -> { });
        // THEN the same ranking, scores and artifacts (fit times aside)
        assertThat(strip(b.leaderboard())).isEqualTo(strip(a.leaderboard()));
    }

    private static List<Leaderboard.Entry> strip(Leaderboard l) {
        return l.entries().stream().map(e -> new Leaderboard.Entry(e.rank(), e.candidateIndex(), e.algorithm(),
                e.hyperParameters(), e.status(), e.reason(), e.selectionScore(), e.validationAccuracy(),
                e.validationMacroF1(), e.validationLogLoss(), e.testAccuracy(), e.testMacroF1(), null, e.sha256()))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aModelSavedByThisVersion_shouldStillLoad_andPredictWhatItDidWhenSaved(Family family, Task<?> task)
            throws IOException {
        assumeRuns(family);
        // GIVEN the fixture saved by writeFixtures (model bytes, signature, and the predictions it made then)
        Path dir = fixture(family, task);
        byte[] bytes = Files.readAllBytes(dir.resolve("model.tribuo"));
        ModelSignature signature = Json.read(Files.readAllBytes(dir.resolve("signature.json")), ModelSignature.class);
        Fixture expected = Json.read(Files.readAllBytes(dir.resolve("expected.json")), Fixture.class);
        // WHEN it is loaded the way the registry and the API load models
        Predictor p = Predictor.load(new ModelArtifact(bytes, expected.sha256(), expected.modelClass()), signature);
        // THEN it answers as it did
        assertThat(p.predict(expected.instances())).isEqualTo(expected.predictions());
    }

    /** What a fixture model predicted when it was saved. */
    record Fixture(String sha256, String modelClass, String tribuo, List<Map<String, Object>> instances,
                   List<Prediction> predictions) {
    }

    /**
     * Writes the fixtures that do not exist yet (by hand, when a family or a task is added:
     * {@code mvn -pl functions/core test -Dtest=ReproducibilityTest -Dmlops.writeFixtures=true}); a fixture
     * once written is kept, so models saved by older versions go on being checked.
     */
    @Test
    @EnabledIfSystemProperty(named = "mlops.writeFixtures", matches = "true")
    void writeFixtures() throws IOException {
        for (Arguments a : fixtures()) {
            Family f = (Family) a.get()[0];
            Task<?> task = (Task<?>) a.get()[1];
            if (Files.exists(fixture(f, task).resolve("model.tribuo"))) {
                continue;
            }
            CsvTable iris = task == Classification.TASK ? TestTables.file("../../data/iris.csv") : diamonds();
            Schema schema = Schema.infer(iris, task == Classification.TASK ? "label" : "price");
            TrainingResult r = ModelTrainer.train(iris, schema, config(f));
            Path dir = Files.createDirectories(fixture(f, task));
            Files.write(dir.resolve("model.tribuo"), r.artifact().bytes());
            Files.write(dir.resolve("signature.json"), Json.prettyBytes(r.signature()));
            List<Map<String, Object>> rows = instances(iris, schema, 12);
            List<Prediction> predictions = Predictor.load(r.artifact(), r.signature()).predict(rows);
            Files.write(dir.resolve("expected.json"), Json.prettyBytes(new Fixture(r.artifact().sha256(),
                    r.artifact().modelClass(), org.tribuo.Tribuo.VERSION, rows, predictions)));
        }
    }
}
