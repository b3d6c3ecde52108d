package dev.mlops.core.monitoring;

import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.model.task.RegressionMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A regression's live quality: RMSE or MAE of the labelled rows against the test score, by {@code max_rise}. */
class LiveQualityRegressionTest {

    /** Test RMSE 10, MAE 8. */
    private static final RegressionMetrics TEST = new RegressionMetrics(10, 8, 0.9, 100, 50, List.of());

    /** {@code n} rows whose predictions are off by {@code error}, alternately above and below. */
    private static List<String[]> rows(int n, double error) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double truth = 100 + i;
            out.add(new String[] {Double.toString(truth), Double.toString(truth + (i % 2 == 0 ? error : -error))});
        }
        return out;
    }

    private static DriftConfig.Quality quality(String metric, Double maxRise) {
        return new DriftConfig.Quality(metric, null, null, null, maxRise);
    }

    @Test
    void liveRmse_shouldBeJudgedAgainstTestRmseTimesOnePlusMaxRise() {
        // GIVEN errors of 11.9 (live RMSE 11.9, under 10 × 1.2) and of 12.1 (over it)
        LiveQuality ok = LiveQuality.ofRegression(rows(60, 11.9), TEST, DriftConfig.Quality.defaults(), 0);
        LiveQuality degraded = LiveQuality.ofRegression(rows(60, 12.1), TEST, DriftConfig.Quality.defaults(),
                3);
        // THEN
        assertThat(ok.verdict()).isEqualTo(LiveQuality.OK);
        assertThat(ok.metric()).isEqualTo(Regression.RMSE);
        assertThat(ok.rmse()).isCloseTo(11.9, within(1e-9));
        assertThat(ok.mae()).isCloseTo(11.9, within(1e-9));
        assertThat(ok.accuracy()).isNull();
        // A regression has no test accuracy: drift.json says null, not 0.0.
        assertThat(ok.testAccuracy()).isNull();
        assertThat(ok.testMacroF1()).isNull();
        assertThat(degraded.verdict()).isEqualTo(LiveQuality.DEGRADED);
        assertThat(degraded.reason()).isEqualTo("degraded: rmse 12.100 on 60 labelled rows, test 10.000 x (1 + max_rise"
                + " 0.200) = 12.000");
        assertThat(degraded.unmatched()).isEqualTo(3);
        assertThat(degraded.testRmse()).isEqualTo(10.0);
    }

    @Test
    void mae_andMaxRise_shouldBeConfigurable_andFewLabelsGiveNoVerdict() {
        // GIVEN an error of 9 on every row: MAE 9 against test MAE 8
        assertThat(LiveQuality.ofRegression(rows(60, 9), TEST, quality("mae", 0.1), 0).verdict())
                .isEqualTo(LiveQuality.DEGRADED); // 9 > 8 × 1.1
        assertThat(LiveQuality.ofRegression(rows(60, 9), TEST, quality("mae", 0.2), 0).verdict())
                .isEqualTo(LiveQuality.OK); // 9 ≤ 8 × 1.2
        // AND a classification metric in the settings leaves a regression judged on RMSE
        assertThat(LiveQuality.ofRegression(rows(60, 9), TEST, quality("accuracy", null), 0).metric())
                .isEqualTo(Regression.RMSE);
        // AND below min_labels, no verdict; with no labels, NO_FEEDBACK
        assertThat(LiveQuality.ofRegression(rows(10, 50), TEST, DriftConfig.Quality.defaults(), 0).verdict())
                .isEqualTo(LiveQuality.NOT_ENOUGH_DATA);
        assertThat(LiveQuality.ofRegression(List.of(), TEST, DriftConfig.Quality.defaults(), 0).verdict())
                .isEqualTo(LiveQuality.NO_FEEDBACK);
    }

    @Test
    void badSettings_shouldBeRefusedWithTheirName() {
        assertThatThrownBy(() -> quality("rmse", -0.1)).isInstanceOf(ContractException.class)
                .hasMessageContaining("drift.quality.max_rise");
        assertThatThrownBy(() -> quality("r2", null)).isInstanceOf(ContractException.class)
                .hasMessageContaining("drift.quality.metric").hasMessageContaining("[rmse, mae] (a regression)");
    }
}
