package dev.mlops.core.model.explain;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.TestTables;

import java.util.Locale;
import java.util.Random;

/**
 * A table whose answer is known: the label is "yes" when {@code 2·signal + weak + (color = red ? 1 : 0)} plus a
 * little noise is positive; {@code noise} is drawn independently of everything and plays no part.
 */
final class CraftedData {

    private CraftedData() {
    }

    static CsvTable table(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("signal,weak,color,noise,label\n");
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            double signal = random.nextGaussian();
            double weak = random.nextGaussian();
            String color = colors[random.nextInt(colors.length)];
            double noise = random.nextGaussian() * 3;
            double score = 2 * signal + weak + (color.equals("red") ? 1 : 0) - 0.3 + 0.2 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%.4f,%s%n", signal, weak, color, noise,
                    score > 0 ? "yes" : "no"));
        }
        return TestTables.of(csv.toString());
    }
}
