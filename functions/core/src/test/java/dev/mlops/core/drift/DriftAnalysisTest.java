package dev.mlops.core.drift;

import dev.mlops.core.Json;
import dev.mlops.core.data.Profile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftAnalysisTest {

    private static final int FEATURES = 20;
    private static Reference reference;
    private static final DriftConfig DEFAULTS = DriftConfig.defaults();

    @BeforeAll
    static void trainingProfile() {
        // 10,000 training rows of 20 standard normal features, profiled as ingest profiles an upload
        reference = Reference.of(Synthetic.profile(10_000, FEATURES, 1), DEFAULTS.bins());
    }

    @Test
    void sameDistribution_on1MillionRows_shouldBeNoDrift() {
        // GIVEN a million current rows drawn from the training distribution
        CurrentWindow window = Synthetic.window(reference, DEFAULTS, 1_000_000, FEATURES, -1, 0, 2);
        // WHEN
        DriftResult result = DriftAnalysis.compare(window, DEFAULTS);
        // THEN no column drifted, tested on the sketches with their error written down
        assertThat(result.verdict()).isEqualTo(Verdict.NO_DRIFT);
        assertThat(result.drifted()).isEmpty();
        assertThat(result.rows()).isEqualTo(1_000_000);
        assertThat(result.columns().values()).allSatisfy(c -> {
            assertThat(c.verdict()).isEqualTo(Verdict.NO_DRIFT);
            assertThat(c.test()).isEqualTo("ks_sketch");
            assertThat(c.sketchError()).isPositive().isLessThan(0.03);
            assertThat(c.currentCount()).isEqualTo(1_000_000);
        });
    }

    @Test
    void aMeanShiftOf0_3Sd_inOneOf20Features_on1000Rows_shouldDriftOnThatFeatureOnly() {
        // GIVEN 1,000 rows in which f07 moved by 0.3 standard deviations
        CurrentWindow window = Synthetic.window(reference, DEFAULTS, 1_000, FEATURES, 7, 0.3, 3);
        // WHEN
        DriftResult result = DriftAnalysis.compare(window, DEFAULTS);
        // THEN
        assertThat(result.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(result.drifted()).containsExactly("f07");
        ColumnDrift f07 = result.columns().get("f07");
        assertThat(f07.test()).isEqualTo("ks");
        assertThat(f07.sketchError()).isNull();
        assertThat(f07.pValueAdjusted()).isLessThan(0.05);
        assertThat(f07.distance()).isGreaterThan(0.1);
        assertThat(f07.reason()).contains("bonferroni").contains("wasserstein_sd");
        assertThat(result.shareDrifted()).isEqualTo(1.0 / FEATURES);
        assertThat(result.rule().tests()).isEqualTo(FEATURES + 1); // the predictions are tested too
    }

    @Test
    void twentyRows_shouldBeNotEnoughData_atTheTopAndForEveryFeature() {
        // GIVEN 20 rows, strongly shifted
        CurrentWindow window = Synthetic.window(reference, DEFAULTS, 20, FEATURES, 0, 5, 4);
        // WHEN
        DriftResult result = DriftAnalysis.compare(window, DEFAULTS);
        // THEN nothing is claimed either way
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.reason()).contains("20 current rows").contains("min_rows");
        assertThat(result.columns().values()).allSatisfy(c -> {
            assertThat(c.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
            assertThat(c.test()).isNull();
        });
        assertThat(result.prediction().verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.drifted()).isEmpty();
    }

    @Test
    void oneHugeOutlier_shouldBeReported_andNeverMaskAShift() {
        // GIVEN 200 rows with f00 shifted by one SD, then the same plus one row with f00 = 1e300
        CurrentWindow shifted = Synthetic.window(reference, DEFAULTS, 200, FEATURES, 0, 1.0, 5);
        CurrentWindow withOutlier = Synthetic.window(reference, DEFAULTS, 200, FEATURES, 0, 1.0, 5);
        withOutlier.row();
        withOutlier.number(withOutlier.index("f00"), 1e300);
        // WHEN
        ColumnDrift before = DriftAnalysis.compare(shifted, DEFAULTS).columns().get("f00");
        ColumnDrift after = DriftAnalysis.compare(withOutlier, DEFAULTS).columns().get("f00");
        // THEN both drifted; the outlier is named, and barely moves the histogram (bins at the reference's quantiles)
        assertThat(before.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(after.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(after.outliers().above()).isGreaterThanOrEqualTo(1);
        assertThat(after.outliers().examples()).contains("1E+300");
        assertThat(after.psi()).isCloseTo(before.psi(), within(0.1));
        assertThat(Json.string(after)).doesNotContain("Infinity").doesNotContain("NaN");
    }

    @Test
    void aNegligibleShiftInAHugeSample_shouldBeSignificantButNotDrift() {
        // GIVEN a million rows with f03 shifted by 0.03 SD: the KS test notices, the effect is negligible
        CurrentWindow window = Synthetic.window(reference, DEFAULTS, 1_000_000, FEATURES, 3, 0.03, 6);
        // WHEN
        DriftResult result = DriftAnalysis.compare(window, DEFAULTS);
        // THEN
        ColumnDrift f03 = result.columns().get("f03");
        assertThat(f03.verdict()).isEqualTo(Verdict.NO_DRIFT);
        assertThat(f03.distance()).isLessThan(DEFAULTS.numericEffect());
        assertThat(result.verdict()).isEqualTo(Verdict.NO_DRIFT);
    }

    @Test
    void theSketchStatistic_shouldBeWithinItsErrorOfTheExactOne() {
        // GIVEN 20,000 shifted rows: over exact_max_rows, so the sketches decide; then the same rows below the limit
        CurrentWindow sketched = Synthetic.window(reference, DEFAULTS, 20_000, FEATURES, 2, 0.2, 7);
        DriftConfig exact = new DriftConfig(null, null, null, 20_000, null, null, null, null, null, null, null, null);
        CurrentWindow raw = Synthetic.window(reference, exact, 20_000, FEATURES, 2, 0.2, 7);
        // WHEN
        ColumnDrift bySketch = DriftAnalysis.compare(sketched, DEFAULTS).columns().get("f02");
        ColumnDrift byValues = DriftAnalysis.compare(raw, exact).columns().get("f02");
        // THEN (the exact test compares with the stored 2,000-value sample, the sketch with all 10,000 rows)
        assertThat(bySketch.test()).isEqualTo("ks_sketch");
        assertThat(byValues.test()).isEqualTo("ks");
        double samplingError = 1.63 * Math.sqrt(1.0 / 2_000 + 1.0 / 20_000); // KS critical value at 1 %
        assertThat(bySketch.statistic()).isCloseTo(byValues.statistic(), within(bySketch.sketchError() + samplingError));
        assertThat(bySketch.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(byValues.verdict()).isEqualTo(Verdict.DRIFTED);
    }

    @Test
    void categoricalColumnsAndPredictions_shouldBeTestedOnTheirCounts() throws Exception {
        // GIVEN a reference with a colour column, and traffic where red doubled and predictions lean to one class
        Profile profile = dev.mlops.core.data.Profile.of(dev.mlops.core.data.CsvParser.parse(
                new java.io.ByteArrayInputStream(colours(3_000, 0.2, 8).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                dev.mlops.core.data.CsvLimits.DEFAULT), new dev.mlops.core.data.Schema("label", List.of(
                new dev.mlops.core.data.Column("colour", dev.mlops.core.data.ColumnType.CATEGORICAL))));
        Reference ref = Reference.of(profile, 10);
        CurrentWindow window = new CurrentWindow(ref, DEFAULTS);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 1_000; i++) {
            window.row();
            double u = random.nextDouble();
            window.text(window.index("colour"), u < 0.4 ? "red" : u < 0.7 ? "green" : u < 0.9999 ? "blue" : "purple");
            window.prediction(random.nextDouble() < 0.8 ? "a" : "b");
        }
        // WHEN
        DriftResult result = DriftAnalysis.compare(window, DEFAULTS);
        // THEN
        ColumnDrift colour = result.columns().get("colour");
        assertThat(colour.test()).isEqualTo("chi_square");
        assertThat(colour.distanceName()).isEqualTo("jensen_shannon");
        assertThat(colour.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(result.prediction().verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(colour.distribution().labels()).contains("blue", "green", "red");
    }

    /** A colour column with red at {@code red}, the rest split between green and blue; labels a/b. */
    private static String colours(int rows, double red, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("colour,label\n");
        for (int i = 0; i < rows; i++) {
            double u = random.nextDouble();
            csv.append(u < red ? "red" : u < red + (1 - red) / 2 ? "green" : "blue").append(',')
                    .append(random.nextBoolean() ? "a" : "b").append('\n');
        }
        return csv.toString();
    }

    @Test
    void corrections_shouldAdjustAsTheirTextbookDefinitions() {
        double[] p = {0.01, 0.04, 0.03, 0.005};
        assertThat(Corrections.adjust(p, "none")).containsExactly(0.01, 0.04, 0.03, 0.005);
        assertThat(Corrections.adjust(p, "bonferroni")).containsExactly(new double[] {0.04, 0.16, 0.12, 0.02},
                within(1e-15));
        assertThat(Corrections.adjust(p, "holm")).containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-15));
        assertThat(Corrections.adjust(p, "benjamini_hochberg")).containsExactly(new double[] {0.02, 0.04, 0.04, 0.02},
                within(1e-15));
    }

    @Test
    void theConfig_shouldHaveDocumentedDefaults_andRefuseNonsenseByName() {
        DriftConfig d = DriftConfig.defaults();
        assertThat(d.alpha()).isEqualTo(0.05);
        assertThat(d.correction()).isEqualTo("bonferroni");
        assertThat(d.minRows()).isEqualTo(100);
        assertThat(d.exactMaxRows()).isEqualTo(10_000);
        assertThat(d.numericEffect()).isEqualTo(0.1);
        assertThat(d.categoricalEffect()).isEqualTo(0.1);
        assertThat(d.driftShare()).isEqualTo(0.0);
        assertThat(d.quality().maxDrop()).isEqualTo(0.05);
        assertThat(d.retraining().coolDownHours()).isEqualTo(24.0);
        assertThat(Json.read("{\"drift\": {\"min_rows\": 500, \"quality\": {\"metric\": \"macro_f1\"}}}"
                .getBytes(), dev.mlops.core.pipeline.PipelineConfig.class).drift())
                .satisfies(c -> {
                    assertThat(c.minRows()).isEqualTo(500);
                    assertThat(c.quality().metric()).isEqualTo("macro_f1");
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.read("{\"drift\": {\"correction\": \"fdr\"}}"
                .getBytes(), dev.mlops.core.pipeline.PipelineConfig.class)).hasMessageContaining("drift.correction");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.read("{\"drift\": {\"min_row\": 5}}"
                .getBytes(), dev.mlops.core.pipeline.PipelineConfig.class)).hasMessageContaining("min_row");
    }

    @Test
    void theReport_shouldRoundTripThroughTheProjectsJson_andRenderAsASelfContainedPage() {
        // GIVEN
        DriftResult result = DriftAnalysis.compare(Synthetic.window(reference, DEFAULTS, 1_000, FEATURES, 7, 0.5, 10),
                DEFAULTS);
        // WHEN
        DriftResult back = Json.read(Json.bytes(result), DriftResult.class);
        String html = DriftHtml.render("Drift: test", List.of("a fact"), result, List.of(new DriftHtml.Section(
                "Live quality", "OK", List.<String[]>of(new String[] {"accuracy", "0.9"}))));
        // THEN
        assertThat(back).isEqualTo(result);
        assertThat(Json.tree(Json.bytes(result)).has("share_drifted")).isTrue();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("DRIFTED").contains("<svg").contains("f07")
                .contains("Live quality").doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(html.indexOf("f07")).isLessThan(html.indexOf("f00")); // drifted first
    }
}
