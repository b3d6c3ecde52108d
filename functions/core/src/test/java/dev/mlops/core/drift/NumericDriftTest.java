package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NumericDriftTest {

    @Test
    void binEdges_shouldWidenDegenerateRangeByHalf_likeNumpy() {
        // GIVEN all values equal
        double[] ref = {3.0, 3.0};
        double[] cur = {3.0};

        // WHEN
        double[] edges = NumericDrift.binEdges(ref, cur, 10);

        // THEN numpy.histogram_bin_edges gives linspace(2.5, 3.5, 11)
        assertThat(edges).hasSize(11);
        assertThat(edges[0]).isEqualTo(2.5);
        assertThat(edges[10]).isEqualTo(3.5);
        for (int i = 0; i <= 10; i++) {
            assertThat(edges[i]).isCloseTo(2.5 + 0.1 * i, within(1e-12));
        }
    }

    @Test
    void histogram_shouldIncludeRightEdgeInLastBin_andIgnoreOutsideValues() {
        // GIVEN
        double[] edges = {0.0, 1.0, 2.0};
        double[] values = {-0.1, 0.0, 0.5, 1.0, 1.5, 2.0, 2.1, Double.NaN};

        // WHEN
        long[] counts = NumericDrift.histogram(values, edges);

        // THEN
        assertThat(counts).containsExactly(2, 3);
    }

    @Test
    void ksPValue_shouldMatchExactLatticeCounts_forTinySamples() {
        // GIVEN / WHEN / THEN: complete separation has probability 2 / C(n1 + n2, n1)
        assertThat(NumericDrift.ksStatistic(new double[] {1, 2, 3}, new double[] {4, 5, 6}))
                .isEqualTo(1.0);
        assertThat(NumericDrift.ksPValue(new double[] {1, 2, 3}, new double[] {4, 5, 6}))
                .isCloseTo(0.1, within(1e-12));
        assertThat(NumericDrift.ksPValue(new double[] {1, 2}, new double[] {3, 4, 5}))
                .isCloseTo(0.2, within(1e-12));
    }

    @Test
    void ksPValue_shouldAcceptASingleValue_likeScipy() {
        // GIVEN a current window of one value below all four reference values
        double[] ref = {1, 2, 3, 4};
        double[] cur = {0};

        // WHEN / THEN: D = 1 only when the value sits at either end of the 5 possible ranks.
        // (Commons Statistics' KS test rejects samples of fewer than 2 values, see the drift README.)
        assertThat(NumericDrift.ksStatistic(ref, cur)).isEqualTo(1.0);
        assertThat(NumericDrift.ksPValue(ref, cur)).isCloseTo(2.0 / 5, within(1e-12));
    }

    @Test
    void ksPValueAsymptotic_shouldRoundEffectiveSizeHalfToEven_likeNumpy() {
        // GIVEN n = m = 5, so n * m / (n + m) = 2.5, which numpy.round takes to 2 (Math.round: 3)
        double[] ref = {1, 2, 3, 4, 5};
        double[] cur = {2.5, 3.5, 4.5, 5.5, 6.5};

        // WHEN
        double d = NumericDrift.ksStatistic(ref, cur);
        double p = NumericDrift.ksPValueAsymptotic(ref, cur);

        // THEN kstwo.sf(d, 2) = 1 - 2! * (2d - 1/2)^2 for 1/4 < d <= 1/2; size 3 would give 0.5947
        assertThat(d).isCloseTo(0.4, within(1e-15));
        assertThat(p).isCloseTo(1 - 2 * (2 * 0.4 - 0.5) * (2 * 0.4 - 0.5), within(1e-12));
    }

    @Test
    void psiAndJs_shouldBeZeroForIdentical_andJsOneForDisjoint() {
        // GIVEN
        double[] p = {0.5, 0.5, 0.0};
        double[] q = {0.0, 0.0, 1.0};

        // WHEN / THEN
        assertThat(NumericDrift.psi(p, p, 1e-4)).isZero();
        assertThat(NumericDrift.jensenShannonDistance(p, p)).isZero();
        assertThat(NumericDrift.jensenShannonDistance(p, q)).isCloseTo(1.0, within(1e-12));
        assertThat(NumericDrift.psi(p, q, 1e-4)).isGreaterThan(10);
    }

    @Test
    void ksStatistic_shouldRejectEmptyOrNonFiniteSamples() {
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> NumericDrift.ksStatistic(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NumericDrift.ksStatistic(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
