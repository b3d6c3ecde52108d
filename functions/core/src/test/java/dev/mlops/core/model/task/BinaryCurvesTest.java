package dev.mlops.core.model.task;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ROC and precision-recall curves against scikit-learn's on the example of its documentation. */
class BinaryCurvesTest {

    @Test
    void theCurves_shouldMatchScikitLearns_rocCurveAndPrecisionRecallCurve() {
        // GIVEN sklearn's example: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
        BinaryCurves c = BinaryCurves.of("1", new double[] {0.1, 0.4, 0.35, 0.8},
                new boolean[] {false, false, true, true});
        // THEN roc_curve(drop_intermediate=False): fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
        assertThat(c.fpr()).containsExactly(0.0, 0.0, 0.5, 0.5, 1.0);
        assertThat(c.tpr()).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0);
        // AND precision_recall_curve, highest threshold first: precision [1, 1, 0.5, 0.667, 0.5] at recall tpr
        assertThat(c.precision()).containsExactly(1.0, 1.0, 0.5, 2.0 / 3, 0.5);
    }

    @Test
    void tiedScores_shouldBeOnePoint_andOneClassAlone_noCurve() {
        BinaryCurves tied = BinaryCurves.of("y", new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, true});
        assertThat(tied.fpr()).containsExactly(0.0, 1.0);
        assertThat(tied.tpr()).containsExactly(0.0, 1.0);
        assertThat(BinaryCurves.of("y", new double[] {0.2, 0.9}, new boolean[] {true, true})).isNull();
    }

    @Test
    void manyRows_shouldBeThinnedToAtMost101Points_keepingBothEnds() {
        int n = 10_000;
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i / (double) n;
            positive[i] = i % 3 == 0;
        }
        BinaryCurves c = BinaryCurves.of("p", scores, positive);
        assertThat(c.fpr()).hasSize(BinaryCurves.MAX_POINTS);
        assertThat(List.of(c.fpr().get(0), c.tpr().get(0))).containsExactly(0.0, 0.0);
        assertThat(List.of(c.fpr().get(100), c.tpr().get(100))).containsExactly(1.0, 1.0);
    }
}
