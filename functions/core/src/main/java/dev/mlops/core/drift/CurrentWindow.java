package dev.mlops.core.drift;

import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Numbers;
import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current side of a drift check, built in one streaming pass in memory that does not grow with the rows:
 * per numeric column a KLL sketch, exact counts over the reference's quantile bins, the values outside the
 * reference's range (counted, the most extreme kept as examples), and the raw values themselves up to {@link
 * DriftConfig#exactMaxRows()} (for the exact test); per categorical column its counts (at most {@value
 * #MAX_CATEGORIES} values, the rest under {@link Reference#OTHER}); the predicted labels, or a regression's
 * predicted values (as a numeric column against the label's profile).
 *
 * <p>Feed it with {@link #row()} once per row and the column values in between, addressed by {@link
 * #index(String)}. Not thread-safe.
 */
public final class CurrentWindow {

    /** Current categories counted one by one per column. */
    public static final int MAX_CATEGORIES = 1_000;
    /** Accuracy parameter of the current side's KLL sketches: normalised rank error about 0.7 %. */
    static final int KLL_K = 400;
    /** Most extreme outliers kept as examples per column. */
    static final int EXAMPLES = 5;
    private static final int BATCH = 512;

    /** A numeric column under way. */
    static final class Numeric {
        final Reference.Numeric ref;
        final KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(KLL_K);
        final long[] bins;
        final int exactMax;
        double[] raw = new double[64];
        final double[] pending = new double[BATCH];
        int pendingCount;
        long count;
        long invalid;
        long below;
        long above;
        double shift;
        double sum;
        double sumSquares;
        final double[] examples = new double[EXAMPLES];
        int exampleCount;

        Numeric(Reference.Numeric ref, int exactMax) {
            this.ref = ref;
            this.bins = new long[ref.edges.length + 1];
            this.exactMax = exactMax;
        }

        void add(double x) {
            if (!Double.isFinite(x)) {
                invalid++;
                return;
            }
            pending[pendingCount++] = x;
            if (pendingCount == BATCH) {
                flush();
            }
        }

        void flush() {
            int n = pendingCount;
            if (n == 0) {
                return;
            }
            double[] v = pending;
            if (count == 0) {
                shift = v[0];
            }
            double[] edges = ref.edges;
            double lo = ref.min;
            double hi = ref.max;
            double s = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double x = v[i];
                double d = x - shift;
                s += d;
                ss += d * d;
                int pos = Arrays.binarySearch(edges, x);
                bins[pos >= 0 ? pos : -pos - 1]++;
                if (x < lo || x > hi) {
                    outlier(x);
                }
            }
            sum += s;
            sumSquares += ss;
            kll.update(v, 0, n);
            if (raw != null) {
                if (count + n > exactMax) {
                    raw = null; // past the exact limit: the sketch decides, memory stays flat
                } else {
                    if (count + n > raw.length) {
                        raw = Arrays.copyOf(raw, (int) Math.min(exactMax, Math.max(count + n, 2L * raw.length)));
                    }
                    System.arraycopy(v, 0, raw, (int) count, n);
                }
            }
            count += n;
            pendingCount = 0;
        }

        private void outlier(double x) {
            if (x < ref.min) {
                below++;
            } else {
                above++;
            }
            // Keep the EXAMPLES values farthest outside the range.
            if (exampleCount < EXAMPLES) {
                examples[exampleCount++] = x;
                return;
            }
            int weakest = 0;
            for (int i = 1; i < EXAMPLES; i++) {
                if (beyond(examples[i]) < beyond(examples[weakest])) {
                    weakest = i;
                }
            }
            if (beyond(x) > beyond(examples[weakest])) {
                examples[weakest] = x;
            }
        }

        private double beyond(double x) {
            return x < ref.min ? ref.min - x : x - ref.max;
        }

        double mean() {
            return shift + sum / count;
        }

        double sd() {
            return count > 1 ? Math.sqrt(Math.max(0, sumSquares - sum * sum / count) / (count - 1)) : 0;
        }

        /** The raw values when there are at most {@code exactMax} of them, else null. */
        double[] raw() {
            flush();
            return raw == null ? null : Arrays.copyOf(raw, (int) count);
        }

        double[] examples() {
            double[] e = Arrays.copyOf(examples, exampleCount);
            Arrays.sort(e);
            return e;
        }
    }

    /** A categorical column (or the predictions) under way. */
    static final class Categorical {
        final Map<String, long[]> counts = new HashMap<>();
        long count;
        long other;

        void add(String value) {
            count++;
            long[] c = counts.get(value);
            if (c != null) {
                c[0]++;
            } else if (counts.size() < MAX_CATEGORIES) {
                counts.put(value, new long[] {1});
            } else {
                other++;
            }
        }

        Map<String, Long> sorted() {
            Map<String, Long> out = new TreeMap<>();
            counts.forEach((k, v) -> out.put(k, v[0]));
            if (other > 0) {
                out.merge(Reference.OTHER, other, Long::sum);
            }
            return out;
        }
    }

    private final Reference reference;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] names;
    private final Numeric[] numeric;
    private final Categorical[] categorical;
    private final Categorical predictions = new Categorical();
    /** A regression's predicted values; null when the reference has no numeric label. */
    private final Numeric predictedValues;
    private long rows;

    public CurrentWindow(Reference reference, DriftConfig config) {
        this.reference = reference;
        List<String> cols = reference.names();
        this.names = cols.toArray(new String[0]);
        this.numeric = new Numeric[names.length];
        this.categorical = new Categorical[names.length];
        this.predictedValues = reference.target() == null ? null
                : new Numeric(reference.target(), config.exactMaxRows());
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
            Object c = reference.columns().get(names[i]);
            if (c instanceof Reference.Numeric n) {
                numeric[i] = new Numeric(n, config.exactMaxRows());
            } else {
                categorical[i] = new Categorical();
            }
        }
    }

    /** The column's index for {@link #number}/{@link #text}, or -1 when the reference has no such column. */
    public int index(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    /** Whether column {@code i} is numeric. */
    public boolean isNumeric(int i) {
        return numeric[i] != null;
    }

    /** Counts one row (its values are given separately; a column without a value in a row is missing). */
    public void row() {
        rows++;
    }

    /** A number for column {@code i}: a numeric column's value (non-finite: invalid), else its text. */
    public void number(int i, double value) {
        if (numeric[i] != null) {
            numeric[i].add(value);
        } else {
            categorical[i].add(value == Math.rint(value) && Math.abs(value) < 1e15
                    ? Long.toString((long) value) : Double.toString(value));
        }
    }

    /**
     * A text for column {@code i}: parsed for a numeric column (not a number: invalid), else a category; a
     * missing marker ({@code NA}, empty, ...) is a missing value, as in training.
     */
    public void text(int i, String value) {
        if (Missing.isMissing(value)) {
            return;
        }
        if (numeric[i] != null) {
            numeric[i].add(parse(value));
        } else {
            categorical[i].add(value.trim());
        }
    }

    /** A predicted label. */
    public void prediction(String label) {
        predictions.add(label);
    }

    /** A regression's predicted value (ignored when the reference has no numeric label to compare it with). */
    public void predictionValue(double value) {
        if (predictedValues != null) {
            predictedValues.add(value);
        }
    }

    /** Rows seen. */
    public long rows() {
        return rows;
    }

    Reference reference() {
        return reference;
    }

    Numeric numeric(String name) {
        return numeric[index(name)];
    }

    Categorical categorical(String name) {
        return categorical[index(name)];
    }

    Categorical predictions() {
        return predictions;
    }

    /** The predicted values so far (flushed), or null when the reference has no numeric label. */
    Numeric predictedValues() {
        if (predictedValues != null) {
            predictedValues.flush();
        }
        return predictedValues;
    }

    /** Values given per column (for tests and reports). */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (numeric[i] != null) {
                numeric[i].flush();
                out.put(names[i], numeric[i].count);
            } else {
                out.put(names[i], categorical[i].count);
            }
        }
        return out;
    }

    private static double parse(String s) {
        String t = s.trim();
        return Numbers.isNumber(t) ? Numbers.parse(t) : Double.NaN;
    }
}
