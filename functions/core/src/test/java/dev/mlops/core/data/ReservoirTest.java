package dev.mlops.core.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The reservoir fed in batches keeps exactly the sample it keeps when fed one value at a time. */
class ReservoirTest {

    @Test
    void offeringInBatches_shouldKeepTheSameSampleAsOfferingOneByOne() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int size = 1 + r.nextInt(300);
            int values = r.nextInt(20_000);
            double[] v = new double[values];
            for (int i = 0; i < values; i++) {
                v[i] = r.nextDouble();
            }
            NumericStats.Reservoir one = new NumericStats.Reservoir(size, 42);
            NumericStats.Reservoir batched = new NumericStats.Reservoir(size, 42);
            for (double x : v) {
                one.offer(x);
            }
            int i = 0;
            while (i < values) {
                int n = Math.min(values - i, 1 + r.nextInt(1_000));
                double[] batch = new double[n];
                System.arraycopy(v, i, batch, 0, n);
                batched.offer(batch, n);
                i += n;
            }
            assertThat(batched.values()).as("size %d, %d values", size, values).containsExactly(one.values());
            // and both go on alike
            one.offer(0.5);
            batched.offer(new double[] {0.5}, 1);
            assertThat(batched.values()).containsExactly(one.values());
        }
    }

    @Test
    void aReservoirBackFromAStoredProfile_shouldGoOnAlikeInBatches() {
        double[] stored = {1, 2, 3};
        NumericStats.Reservoir one = NumericStats.Reservoir.of(stored, 3, 10, 7);
        NumericStats.Reservoir batched = NumericStats.Reservoir.of(stored, 3, 10, 7);
        double[] v = new double[5_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
            one.offer(i);
        }
        batched.offer(v, v.length);
        assertThat(batched.values()).containsExactly(one.values());
    }
}
