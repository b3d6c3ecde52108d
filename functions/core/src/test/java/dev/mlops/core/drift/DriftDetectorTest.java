package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static double[] normal(Random rnd, int n, double mean, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + sd * rnd.nextGaussian();
        }
        return out;
    }

    private static Map<String, Long> counts(long a, long b, long c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        m.put("c", c);
        return m;
    }

    private static FeatureDrift feature(DriftReport report, String name) {
        return report.features().stream().filter(f -> f.feature().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no feature " + name));
    }

    @Test
    void detect_shouldReportNoDrift_whenSamplesAreIdentical() {
        // GIVEN
        Random rnd = new Random(42);
        double[] x = normal(rnd, 1000, 5.0, 2.0);
        double[] y = normal(rnd, 1000, -1.0, 0.5);
        DriftInput ref = new DriftInput(Map.of("x", x, "y", y),
                Map.of("colour", counts(500, 300, 200)), Map.of("yes", 600L, "no", 400L), 1000);
        DriftInput cur = new DriftInput(Map.of("x", x.clone(), "y", y.clone()),
                Map.of("colour", counts(500, 300, 200)), Map.of("yes", 600L, "no", 400L), 1000);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        assertThat(report.driftDetected()).isFalse();
        assertThat(report.driftedFeatures()).isEmpty();
        assertThat(report.currentCount()).isEqualTo(1000);
        assertThat(report.features()).extracting(FeatureDrift::feature)
                .containsExactly("x", "y", "colour");
        FeatureDrift fx = feature(report, "x");
        assertThat(fx.type()).isEqualTo("numeric");
        assertThat(fx.referenceCount()).isEqualTo(1000);
        assertThat(fx.currentCount()).isEqualTo(1000);
        assertThat(fx.ksStatistic()).isZero();
        assertThat(fx.ksPValue()).isEqualTo(1.0);
        assertThat(fx.psi()).isZero();
        assertThat(fx.jsDistance()).isZero();
        assertThat(fx.wasserstein()).isZero();
        assertThat(fx.chi2PValue()).isNull();
        assertThat(fx.drifted()).isFalse();
        assertThat(fx.reason()).startsWith("no drift");
        FeatureDrift colour = feature(report, "colour");
        assertThat(colour.type()).isEqualTo("categorical");
        assertThat(colour.drifted()).isFalse();
        assertThat(colour.jsDistance()).isZero();
        assertThat(colour.chi2PValue()).isEqualTo(1.0);
        assertThat(colour.ksPValue()).isNull();
        assertThat(report.prediction()).isNotNull();
        assertThat(report.prediction().feature()).isEqualTo("prediction");
        assertThat(report.prediction().drifted()).isFalse();
    }

    @Test
    void detect_shouldFlagOnlyTheShiftedFeature_whenMeanMovesByOneSd() {
        // GIVEN
        Random rnd = new Random(20261126L);
        DriftInput ref = new DriftInput(
                Map.of("shifted", normal(rnd, 1000, 0.0, 1.0), "stable", normal(rnd, 1000, 10.0, 3.0)),
                Map.of(), Map.of(), 1000);
        DriftInput cur = new DriftInput(
                Map.of("shifted", normal(rnd, 500, 1.0, 1.0), "stable", normal(rnd, 500, 10.0, 3.0)),
                Map.of(), Map.of(), 500);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        assertThat(report.driftDetected()).isTrue();
        assertThat(report.driftedFeatures()).containsExactly("shifted");
        FeatureDrift shifted = feature(report, "shifted");
        assertThat(shifted.drifted()).isTrue();
        assertThat(shifted.psi()).isGreaterThan(0.2);
        assertThat(shifted.ksPValue()).isLessThan(0.01);
        assertThat(shifted.ksStatistic()).isGreaterThan(0.3);
        assertThat(shifted.wasserstein()).isBetween(0.8, 1.2);
        assertThat(shifted.reason()).matches("PSI \\d+\\.\\d{2} > 0\\.20 and KS p-value .+ < 0\\.01");
        FeatureDrift stable = feature(report, "stable");
        assertThat(stable.drifted()).isFalse();
        assertThat(stable.reason()).startsWith("no drift: PSI ");
        assertThat(report.prediction()).isNull();
    }

    @Test
    void detect_shouldRarelyFlagSmallWindowsFromTheSameDistribution() {
        // GIVEN 200 pairs of 50-value samples drawn from one normal distribution (PSI alone flags most)
        Random rnd = new Random(7L);
        int flagged = 0;
        for (int trial = 0; trial < 200; trial++) {
            DriftInput ref = new DriftInput(Map.of("x", normal(rnd, 50, 0.0, 1.0)), Map.of(), Map.of(), 50);
            DriftInput cur = new DriftInput(Map.of("x", normal(rnd, 50, 0.0, 1.0)), Map.of(), Map.of(), 50);
            // WHEN each pair is checked
            if (DriftDetector.detect(ref, cur, DriftThresholds.defaults()).driftDetected()) {
                flagged++;
            }
        }
        // THEN the false alarm rate stays near the KS threshold (1 %), far from PSI's
        assertThat(flagged).isLessThanOrEqualTo(6);
    }

    @Test
    void detect_shouldNotFlag_whenTooFewCurrentSamples() {
        // GIVEN a strongly shifted but tiny current window
        Random rnd = new Random(7);
        DriftInput ref = new DriftInput(Map.of("x", normal(rnd, 500, 0.0, 1.0)),
                Map.of("c", counts(100, 100, 100)), Map.of(), 500);
        DriftInput cur = new DriftInput(Map.of("x", normal(rnd, 12, 5.0, 1.0)),
                Map.of("c", counts(0, 0, 12)), Map.of(), 12);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        assertThat(report.driftDetected()).isFalse();
        assertThat(report.driftedFeatures()).isEmpty();
        FeatureDrift x = feature(report, "x");
        assertThat(x.drifted()).isFalse();
        assertThat(x.reason()).isEqualTo("too few samples (12 < 30)");
        assertThat(x.currentCount()).isEqualTo(12);
        assertThat(x.psi()).as("statistics are still reported").isGreaterThan(0.2);
        assertThat(x.ksStatistic()).isEqualTo(1.0);
        FeatureDrift c = feature(report, "c");
        assertThat(c.drifted()).isFalse();
        assertThat(c.reason()).isEqualTo("too few samples (12 < 30)");
    }

    @Test
    void detect_shouldIgnoreMissingValues_whenCountingSamples() {
        // GIVEN 40 values of which 15 are NaN
        Random rnd = new Random(3);
        double[] cur = normal(rnd, 40, 0.0, 1.0);
        for (int i = 0; i < 15; i++) {
            cur[i] = Double.NaN;
        }
        DriftInput ref = new DriftInput(Map.of("x", normal(rnd, 200, 0.0, 1.0)), null, null, 200);

        // WHEN
        DriftReport report = DriftDetector.detect(ref,
                new DriftInput(Map.of("x", cur), null, null, 40), DriftThresholds.defaults());

        // THEN
        FeatureDrift x = feature(report, "x");
        assertThat(x.currentCount()).isEqualTo(25);
        assertThat(x.reason()).isEqualTo("too few samples (25 < 30)");
    }

    @Test
    void detect_shouldReportZeroCurrentCount_whenFeatureAbsentFromCurrent() {
        // GIVEN
        // ("x" is identical on both sides: at 100 values PSI over 10 bins is too noisy to assert
        // "no drift" on independent draws, and this test is about the absent features)
        Random rnd = new Random(11);
        double[] x = normal(rnd, 100, 0, 1);
        DriftInput ref = new DriftInput(Map.of("x", x, "gone", normal(rnd, 100, 0, 1)),
                Map.of("cat", counts(10, 20, 30)), Map.of(), 100);
        DriftInput cur = new DriftInput(Map.of("x", x.clone()), Map.of(), Map.of(), 100);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        FeatureDrift gone = feature(report, "gone");
        assertThat(gone.currentCount()).isZero();
        assertThat(gone.referenceCount()).isEqualTo(100);
        assertThat(gone.drifted()).isFalse();
        assertThat(gone.ksStatistic()).isNull();
        assertThat(gone.reason()).isEqualTo("too few samples (0 < 30)");
        FeatureDrift cat = feature(report, "cat");
        assertThat(cat.currentCount()).isZero();
        assertThat(cat.drifted()).isFalse();
        assertThat(report.driftDetected()).isFalse();
    }

    @Test
    void detect_shouldFlagCategoricalAndPredictionShift() {
        // GIVEN
        DriftInput ref = new DriftInput(Map.of(), Map.of("colour", counts(500, 300, 200)),
                Map.of("yes", 500L, "no", 500L), 1000);
        DriftInput cur = new DriftInput(Map.of(), Map.of("colour", counts(200, 300, 500)),
                Map.of("yes", 800L, "no", 200L), 1000);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        FeatureDrift colour = feature(report, "colour");
        assertThat(colour.drifted()).isTrue();
        assertThat(colour.reason()).startsWith("JS distance ").contains("> 0.10")
                .contains("chi-square p-value");
        assertThat(report.prediction().drifted()).isTrue();
        assertThat(report.prediction().type()).isEqualTo("categorical");
        assertThat(report.driftedFeatures()).containsExactly("colour");
        assertThat(report.driftDetected()).isTrue();
    }

    @Test
    void detect_shouldFlagPredictionDriftAlone_inDriftDetected() {
        // GIVEN identical features but shifted predictions
        DriftInput ref = new DriftInput(Map.of(), Map.of("colour", counts(50, 30, 20)),
                Map.of("yes", 500L, "no", 500L), 100);
        DriftInput cur = new DriftInput(Map.of(), Map.of("colour", counts(50, 30, 20)),
                Map.of("yes", 900L, "no", 100L), 100);

        // WHEN
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());

        // THEN
        assertThat(report.driftedFeatures()).isEmpty();
        assertThat(report.prediction().drifted()).isTrue();
        assertThat(report.driftDetected()).isTrue();
    }

    @Test
    void report_shouldRoundTripThroughTheProjectsJson() throws Exception {
        // GIVEN
        Random rnd = new Random(5);
        DriftInput ref = new DriftInput(Map.of("x", normal(rnd, 300, 0, 1)),
                Map.of("colour", counts(100, 100, 100)), Map.of("yes", 10L), 300);
        DriftInput cur = new DriftInput(Map.of("x", normal(rnd, 300, 0.5, 1), "new", new double[0]),
                Map.of("colour", counts(100, 120, 80)), Map.of("yes", 7L, "no", 3L), 300);
        DriftReport report = DriftDetector.detect(ref, cur, DriftThresholds.defaults());
        ObjectMapper mapper = dev.mlops.core.Json.MAPPER;

        // WHEN
        String json = mapper.writeValueAsString(report);
        DriftReport back = mapper.readValue(json, DriftReport.class);

        // THEN
        assertThat(back).isEqualTo(report);
        assertThat(json).contains("\"drifted_features\"", "\"ks_pvalue\"", "\"reason\"");
    }

    @Test
    void thresholds_shouldHaveDocumentedDefaults() {
        // GIVEN / WHEN
        DriftThresholds t = DriftThresholds.defaults();

        // THEN
        assertThat(t).isEqualTo(new DriftThresholds(0.2, 0.01, 0.1, 30));
        assertThatThrownBy(() -> new DriftThresholds(0.2, 1.5, 0.1, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DriftThresholds(-1, 0.01, 0.1, 30))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detect_shouldListFeaturesNumericThenCategorical_sortedByName() {
        // GIVEN
        Random rnd = new Random(1);
        Map<String, double[]> numeric = Map.of("b", normal(rnd, 50, 0, 1), "a", normal(rnd, 50, 0, 1));
        Map<String, Map<String, Long>> cat = Map.of("z", counts(1, 2, 3), "m", counts(3, 2, 1));
        DriftInput in = new DriftInput(numeric, cat, Map.of(), 50);

        // WHEN
        DriftReport report = DriftDetector.detect(in, in, null);

        // THEN
        assertThat(report.features()).extracting(FeatureDrift::feature)
                .isEqualTo(List.of("a", "b", "m", "z"));
    }
}
