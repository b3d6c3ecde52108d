package dev.mlops.core.search;

import dev.mlops.core.Json;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Classification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandidateSearchTest {

    private static final Map<String, Long> BALANCED = Map.of("a", 50L, "b", 50L, "c", 40L);
    private static final Map<String, Long> IMBALANCED = Map.of("a", 900L, "b", 60L, "c", 40L);

    private static TrainingSettings training(String json) {
        return Json.read("{\"training\": " + json + "}", PipelineConfig.class).training();
    }

    @Test
    void theDefaults_shouldTrySixFamilies_inEightCandidates_crossValidatedOnSmallData() {
        // WHEN
        List<CandidateSpec> c = CandidateSearch.expand(TrainingSettings.defaults(), BALANCED);
        // THEN
        assertThat(c).hasSize(8);
        assertThat(c.stream().map(CandidateSpec::algorithm).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(Family.ids(dev.mlops.core.model.task.Classification.TASK));
        assertThat(c).allSatisfy(s -> {
            assertThat(s.seed()).isEqualTo(42);
            assertThat(s.split()).isEqualTo(new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2));
            assertThat(s.selectionMetric()).isEqualTo("accuracy");
            assertThat(s.folds()).isEqualTo(5);
            assertThat(s.refit()).isFalse();
            assertThat(s.hyperParameters()).containsEntry(Family.CLASS_WEIGHT, "none");
        });
        assertThat(c.stream().filter(s -> s.algorithm().equals("xgboost")).map(s -> s.hyperParameters().get("maxDepth")))
                .containsExactly("6", "3");
        // AND above 5,000 rows the validation rows select
        assertThat(CandidateSearch.expand(TrainingSettings.defaults(), Map.of("a", 4000L, "b", 3000L)))
                .allSatisfy(s -> assertThat(s.folds()).isZero());
    }

    @Test
    void pastTheTreesThreshold_theDefaultFamilies_shouldLeaveOutTribuosTrees_butNamedOnesShouldBeTried() {
        Map<String, Long> big = Map.of("a", 400_000L, "b", 400_000L, "c", 200_000L);
        // WHEN the default search meets a million rows, THEN only the families that scale are tried
        assertThat(CandidateSearch.expand(TrainingSettings.defaults(), big).stream().map(CandidateSpec::algorithm)
                .distinct()).containsExactly("logistic-regression", "linear-svm", "xgboost");
        // AND at the threshold itself, every family still is
        Map<String, Long> atThreshold = Map.of("a", TrainingSettings.TREES_UP_TO / 2, "b", TrainingSettings.TREES_UP_TO / 2);
        assertThat(CandidateSearch.expand(TrainingSettings.defaults(), atThreshold).stream().map(CandidateSpec::algorithm)
                .distinct()).contains("cart", "random-forest", "extra-trees");
        // AND a family named in the config is tried whatever the rows
        assertThat(CandidateSearch.expand(training("{\"families\": [\"cart\", \"xgboost\"]}"), big).stream()
                .map(CandidateSpec::algorithm).distinct()).containsExactly("cart", "xgboost");
    }

    @Test
    void imbalancedClasses_shouldSelectOnMacroF1_andWeightTheClasses() {
        // WHEN the largest class has more than three times the rows of the smallest
        List<CandidateSpec> c = CandidateSearch.expand(TrainingSettings.defaults(), IMBALANCED);
        // THEN
        assertThat(Classification.imbalanced(IMBALANCED)).isTrue();
        assertThat(Classification.imbalanced(BALANCED)).isFalse();
        assertThat(c).allSatisfy(s -> {
            assertThat(s.selectionMetric()).isEqualTo("macro_f1");
            assertThat(s.hyperParameters()).containsEntry(Family.CLASS_WEIGHT, "balanced");
        });
        // AND an explicit choice wins over auto
        assertThat(CandidateSearch.expand(training("{\"metric\": \"accuracy\", \"class_weight\": \"none\"}"), IMBALANCED))
                .allSatisfy(s -> {
                    assertThat(s.selectionMetric()).isEqualTo("accuracy");
                    assertThat(s.hyperParameters()).containsEntry(Family.CLASS_WEIGHT, "none");
                });
    }

    @Test
    void aGrid_shouldExpandToEveryCombination_inOrder() {
        // GIVEN
        TrainingSettings s = training("""
                {"families": ["random-forest", "xgboost"],
                 "grids": {"random-forest": {"numTrees": [50, 200], "fractionFeaturesInSplit": ["sqrt", "0.5"]},
                           "xgboost": {"eta": ["0.1"]}},
                 "seed": 7, "folds": 0, "refit": true}""");
        // WHEN
        List<CandidateSpec> c = CandidateSearch.expand(s, BALANCED);
        // THEN 2 × 2 forests, then xgboost's default depths × one eta
        assertThat(c).extracting(CandidateSpec::algorithm).containsExactly("random-forest", "random-forest",
                "random-forest", "random-forest", "xgboost", "xgboost");
        assertThat(c.get(0).hyperParameters()).containsEntry("numTrees", "50").containsEntry("fractionFeaturesInSplit", "sqrt");
        assertThat(c.get(1).hyperParameters()).containsEntry("numTrees", "50").containsEntry("fractionFeaturesInSplit", "0.5");
        assertThat(c.get(4).hyperParameters()).containsEntry("eta", "0.1").containsEntry("maxDepth", "6");
        assertThat(c).allSatisfy(x -> {
            assertThat(x.seed()).isEqualTo(7);
            assertThat(x.folds()).isZero();
            assertThat(x.refit()).isTrue();
        });
    }

    @Test
    void aRandomSearch_shouldDrawTheBudget_familiesInTurn_reproducibly() {
        // GIVEN 3 × 3 × 2 = 18 random-forest combinations and 2 xgboost ones, a budget of 5
        String json = """
                {"families": ["random-forest", "xgboost"], "search": "random", "budget": 5,
                 "grids": {"random-forest": {"numTrees": [10, 50, 100], "maxDepth": [4, 8, "none"],
                                             "impurity": ["gini", "entropy"]}}}""";
        // WHEN
        List<CandidateSpec> a = CandidateSearch.expand(training(json), BALANCED);
        List<CandidateSpec> b = CandidateSearch.expand(training(json), BALANCED);
        // THEN
        assertThat(a).hasSize(5).isEqualTo(b);
        assertThat(a).extracting(CandidateSpec::algorithm)
                .containsExactly("random-forest", "xgboost", "random-forest", "xgboost", "random-forest");
        assertThat(a.stream().map(CandidateSpec::hyperParameters).collect(Collectors.toSet())).hasSize(5);
        // AND another seed draws other forests
        List<CandidateSpec> other = CandidateSearch.expand(training(json.replace("\"budget\": 5",
                "\"budget\": 5, \"seed\": 99")), BALANCED);
        assertThat(other.stream().map(CandidateSpec::hyperParameters).collect(Collectors.toSet()))
                .isNotEqualTo(a.stream().map(CandidateSpec::hyperParameters).collect(Collectors.toSet()));
    }

    @Test
    void badSettings_shouldBeRefusedNamingTheField() {
        assertThatThrownBy(() -> training("{\"families\": [\"svm-rbf\"]}")).isInstanceOf(ContractException.class)
                .hasMessageContaining("training.families").hasMessageContaining("svm-rbf");
        assertThatThrownBy(() -> training("{\"grids\": {\"cart\": {\"depth\": [3]}}}"))
                .hasMessageContaining("training.grids.cart.depth").hasMessageContaining("unknown hyper-parameter");
        assertThatThrownBy(() -> training("{\"grids\": {\"xgboost\": {\"eta\": [-1]}}}"))
                .hasMessageContaining("training.grids.xgboost.eta").hasMessageContaining("positive number");
        assertThatThrownBy(() -> training("{\"grids\": {\"random-forest\": {\"numTrees\": [1,2,3,4,5], "
                + "\"maxDepth\": [1,2,3,4,5]}}}"))
                .hasMessageContaining("training.budget").hasMessageContaining("32 candidates");
        assertThatThrownBy(() -> training("{\"validation_fraction\": 0, \"folds\": 0}"))
                .hasMessageContaining("training.validation_fraction");
        assertThatThrownBy(() -> training("{\"metric\": \"auc\"}")).hasMessageContaining("training.metric");
        assertThatThrownBy(() -> training("{\"folds\": 1}")).hasMessageContaining("training.folds");
        assertThatThrownBy(() -> training("{\"famillies\": []}")).hasMessageContaining("unknown field \"training.famillies\"");
        // AND without validation rows, one candidate needs no comparison
        assertThat(CandidateSearch.expand(training("{\"families\": [\"cart\"], \"grids\": {\"cart\": {\"maxDepth\": "
                + "[\"none\"]}}, \"validation_fraction\": 0, \"folds\": 0}"), BALANCED)).hasSize(1);
        assertThat(Set.of(TrainingSettings.defaults().budget())).containsExactly(24);
    }
}
