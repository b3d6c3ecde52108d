package dev.mlops.core.drift;

import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.Profile;
import dev.mlops.core.data.ValidationConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Reference profiles and current windows of standard normal features, made with the product's own code. */
public final class Synthetic {

    private Synthetic() {
    }

    public static String name(int feature) {
        return String.format("f%02d", feature);
    }

    /**
     * The profile ingest would store for {@code rows} rows of {@code features} N(0, 1) features and a two-class
     * label (profiled by {@link DatasetScanner}, as an upload is).
     */
    public static Profile profile(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder(rows * features * 12);
        for (int f = 0; f < features; f++) {
            csv.append(name(f)).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                csv.append((float) gaussian(random)).append(',');
            }
            csv.append(random.nextBoolean() ? "a" : "b").append('\n');
        }
        try {
            return DatasetScanner.scan(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                    new DatasetScanner.Mode.Infer("label"), ValidationConfig.defaults()).profile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A current window of {@code rows} rows: feature {@code shifted} is N({@code shift}, 1), the others N(0, 1),
     * predictions a/b at even odds.
     */
    public static CurrentWindow window(Reference reference, DriftConfig config, long rows, int features, int shifted,
                                double shift, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CurrentWindow w = new CurrentWindow(reference, config);
        int[] index = new int[features];
        for (int f = 0; f < features; f++) {
            index[f] = w.index(name(f));
        }
        for (long r = 0; r < rows; r++) {
            w.row();
            for (int f = 0; f < features; f++) {
                w.number(index[f], gaussian(random) + (f == shifted ? shift : 0));
            }
            w.prediction(random.nextBoolean() ? "a" : "b");
        }
        return w;
    }

    /** A standard normal draw (Box-Muller: SplittableRandom has no nextGaussian in Java 17). */
    public static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
