package dev.mlops.core.drift;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides, column by column and for the dataset, whether a {@link CurrentWindow} drifted from its {@link
 * Reference}, by the rule of a {@link DriftConfig}:
 *
 * <ol>
 *   <li>A column with fewer than {@code min_rows} current values (or reference values) is NOT_ENOUGH_DATA; so is
 *       the whole check when the window has fewer than {@code min_rows} rows.</li>
 *   <li>Each other column is tested by type and size: a numeric column with at most {@code exact_max_rows}
 *       current values by the two-sample Kolmogorov-Smirnov test on raw values (the reference's stored sample
 *       against every current value); with more, by the KS statistic of the two KLL sketches, whose rank error
 *       is subtracted before the p-value (so the sketch can only make the test more conservative); a
 *       categorical column (and the predicted labels) by the chi-square test on the category counts; a
 *       regression's predicted values as a numeric column against the label's training profile.</li>
 *   <li>The p-values of the family (the columns tested and the predictions) are corrected for testing many
 *       columns ({@code correction}).</li>
 *   <li>A column DRIFTED when its corrected p-value is below {@code alpha} and its distance exceeds the effect
 *       threshold: Wasserstein distance over the reference's standard deviation (numeric), Jensen-Shannon
 *       distance (categorical). A huge sample makes any shift significant; the effect threshold keeps a
 *       negligible one from being flagged.</li>
 *   <li>The dataset DRIFTED when the share of drifted columns exceeds {@code drift_share}, or the predictions
 *       drifted and {@code prediction_drift} is on.</li>
 * </ol>
 */
public final class DriftAnalysis {

    /** Quantile ranks at which the sketch Wasserstein distance integrates the two quantile functions. */
    static final int QUANTILE_STEPS = 1_000;
    private static final double PSI_EPS = 1e-4;

    private DriftAnalysis() {
    }

    /** A column's test, before the correction and the verdict. */
    private static final class Pending {
        final String name;
        final boolean numeric;
        String test;
        Double statistic;
        Double p;
        Double distance;
        String tooFew;
        Double sketchError;
        Double psi;
        Double refMean;
        Double curMean;
        Double refSd;
        Double curSd;
        long refCount;
        long curCount;
        long curMissing;
        long curInvalid;
        /** Reference rows and those without a value (-1: not a column, the predictions). */
        long refRows = -1;
        long refMissing;
        ColumnDrift.Outliers outliers;
        ColumnDrift.Distribution distribution;
        double adjusted = Double.NaN;

        Pending(String name, boolean numeric) {
            this.name = name;
            this.numeric = numeric;
        }
    }

    /**
     * Compares the window with its reference.
     *
     * @param current the current window (its reference is the one it was built against)
     * @param config  the rule
     * @return the verdicts
     */
    public static DriftResult compare(CurrentWindow current, DriftConfig config) {
        Reference reference = current.reference();
        long rows = current.rows();
        List<Pending> columns = new ArrayList<>();
        for (String name : reference.names()) {
            Object ref = reference.columns().get(name);
            Pending p = ref instanceof Reference.Numeric n
                    ? numeric(name, n, current.numeric(name), rows, config)
                    : categorical(name, (Reference.Categorical) ref, current.categorical(name), rows, config);
            p.refRows = reference.rows();
            p.refMissing = Math.max(0, reference.rows() - p.refCount);
            columns.add(p);
        }
        Pending prediction = null;
        if (reference.labels() != null && current.predictions().count > 0) {
            prediction = categorical(Reference.PREDICTION, reference.labels(), current.predictions(),
                    current.predictions().count, config);
        } else if (reference.target() != null && current.predictedValues().count > 0) {
            CurrentWindow.Numeric values = current.predictedValues();
            prediction = numeric(Reference.PREDICTION, reference.target(), values, values.count + values.invalid,
                    config);
        }
        boolean enoughRows = rows >= config.minRows();
        List<Pending> family = new ArrayList<>();
        for (Pending p : columns) {
            if (enoughRows && p.tooFew == null) {
                family.add(p);
            }
        }
        if (prediction != null && enoughRows && prediction.tooFew == null) {
            family.add(prediction);
        }
        double[] raw = family.stream().mapToDouble(p -> p.p).toArray();
        double[] adjusted = Corrections.adjust(raw, config.correction());
        for (int i = 0; i < family.size(); i++) {
            family.get(i).adjusted = adjusted[i];
        }

        Map<String, ColumnDrift> out = new LinkedHashMap<>();
        List<String> drifted = new ArrayList<>();
        int judged = 0;
        for (Pending p : columns) {
            ColumnDrift c = finish(p, enoughRows, rows, config);
            out.put(p.name, c);
            if (c.verdict() != Verdict.NOT_ENOUGH_DATA) {
                judged++;
            }
            if (c.verdict() == Verdict.DRIFTED) {
                drifted.add(p.name);
            }
        }
        ColumnDrift predicted = prediction == null ? null : finish(prediction, enoughRows, rows, config);
        double share = judged == 0 ? 0 : (double) drifted.size() / judged;
        boolean predictionDrifted = predicted != null && predicted.verdict() == Verdict.DRIFTED;

        Verdict verdict;
        String reason;
        if (!enoughRows) {
            verdict = Verdict.NOT_ENOUGH_DATA;
            reason = rows + " current rows, fewer than the " + config.minRows() + " a verdict needs (min_rows)";
        } else if (judged == 0 && !predictionDrifted) {
            verdict = Verdict.NOT_ENOUGH_DATA;
            reason = "no column has " + config.minRows() + " current values (min_rows)";
        } else if (!drifted.isEmpty() && share > config.driftShare()) {
            verdict = Verdict.DRIFTED;
            reason = drifted.size() + " of " + judged + " columns drifted (" + drifted + "): share "
                    + decimal(share) + " > drift_share " + decimal(config.driftShare())
                    + (predictionDrifted ? "; the predictions drifted too" : "");
        } else if (predictionDrifted && config.predictionDrift()) {
            verdict = Verdict.DRIFTED;
            reason = "the predictions drifted (" + predicted.reason() + ")" + (drifted.isEmpty() ? ""
                    : "; " + drifted.size() + " of " + judged + " columns drifted, share " + decimal(share)
                    + " <= drift_share " + decimal(config.driftShare()));
        } else {
            verdict = Verdict.NO_DRIFT;
            reason = drifted.isEmpty() ? "no column drifted (" + judged + " tested on " + rows + " rows)"
                    : drifted.size() + " of " + judged + " columns drifted (" + drifted + "), share "
                    + decimal(share) + " <= drift_share " + decimal(config.driftShare());
        }
        DriftResult.Rule rule = new DriftResult.Rule(config.alpha(), config.correction(), family.size(),
                config.minRows(), config.exactMaxRows(), config.numericEffect(), config.categoricalEffect(),
                config.driftShare(), config.predictionDrift());
        return new DriftResult(verdict, reason, share, rows, reference.rows(), drifted, out, predicted, rule);
    }

    private static ColumnDrift finish(Pending p, boolean enoughRows, long rows, DriftConfig config) {
        double threshold = p.numeric ? config.numericEffect() : config.categoricalEffect();
        String distanceName = p.numeric ? "wasserstein_sd" : "jensen_shannon";
        Verdict verdict;
        String reason;
        if (p.tooFew != null) {
            verdict = Verdict.NOT_ENOUGH_DATA;
            reason = p.tooFew;
        } else if (!enoughRows) {
            verdict = Verdict.NOT_ENOUGH_DATA;
            reason = "the window has " + rows + " rows, fewer than min_rows " + config.minRows();
        } else {
            boolean significant = p.adjusted < config.alpha();
            boolean large = p.distance > threshold;
            String testPart = p.test + " p " + pValue(p.p) + (config.correction().equals(DriftConfig.NONE) ? ""
                    : " (" + config.correction() + " " + pValue(p.adjusted) + ")")
                    + (significant ? " < " : " >= ") + "alpha " + pValue(config.alpha());
            String distancePart = distanceName + " " + pair(p.distance, threshold, large ? " > " : " <= ");
            if (significant && large) {
                verdict = Verdict.DRIFTED;
                reason = testPart + " and " + distancePart;
            } else {
                verdict = Verdict.NO_DRIFT;
                reason = (significant ? "negligible shift: " : "not significant: ") + testPart + ", "
                        + distancePart;
            }
        }
        ColumnDrift.MissingShare missing = p.refRows < 0 ? null : missingShare(p, rows, config);
        if (missing != null && missing.changed() && enoughRows && verdict != Verdict.DRIFTED) {
            // Judged on its own: a column that empties out drifted even when it has too few values left to test.
            verdict = Verdict.DRIFTED;
            reason = missingReason(missing) + "; values: " + reason;
        } else if (missing != null && missing.changed() && verdict == Verdict.DRIFTED) {
            reason = reason + "; " + missingReason(missing);
        }
        boolean tested = p.tooFew == null;
        return ColumnDrift.of(p.numeric ? "numeric" : "categorical", verdict, reason,
                new ColumnDrift.Significance(tested ? p.test : null, p.statistic, p.p, tested && enoughRows ? p.adjusted : null,
                        config.alpha(), p.sketchError),
                new ColumnDrift.Effect(distanceName, p.distance, threshold),
                new ColumnDrift.Counts(p.refCount, p.curCount, p.curMissing, p.curInvalid),
                new ColumnDrift.Moments(p.refMean, p.curMean, p.refSd, p.curSd), p.psi, p.outliers, p.distribution,
                missing);
    }

    /**
     * How a column's share of rows without a value moved: changed when it moved by more than {@code
     * missing_change} and the chi-square test of the missing and present counts of the two sides is significant
     * at {@code alpha} (the same test as a categorical column's, on two categories).
     */
    static ColumnDrift.MissingShare missingShare(Pending p, long rows, DriftConfig config) {
        if (p.refRows <= 0 || rows <= 0) {
            return null;
        }
        double reference = (double) p.refMissing / p.refRows;
        double current = (double) p.curMissing / rows;
        double change = current - reference;
        Double pValue = null;
        if (p.refMissing + p.curMissing > 0) {
            pValue = CategoricalDrift.chi2Contingency(
                    Map.of("missing", p.refMissing, "present", p.refRows - p.refMissing),
                    Map.of("missing", p.curMissing, "present", rows - p.curMissing)).pValue();
        }
        boolean changed = Math.abs(change) > config.missingChange() && pValue != null && pValue < config.alpha();
        return new ColumnDrift.MissingShare(reference, current, change, config.missingChange(), pValue, changed);
    }

    private static String missingReason(ColumnDrift.MissingShare m) {
        return String.format(Locale.ROOT, "missing share %.1f%% -> %.1f%% (change %.1f points > missing_change %s, "
                        + "chi_square p %s)", 100 * m.reference(), 100 * m.current(), 100 * Math.abs(m.change()),
                number(100 * m.threshold()), pValue(m.pValue()));
    }

    private static Pending numeric(String name, Reference.Numeric ref, CurrentWindow.Numeric cur, long rows,
                                   DriftConfig config) {
        Pending p = new Pending(name, true);
        cur.flush();
        long n = cur.count;
        p.refCount = ref.count;
        p.curCount = n;
        p.curInvalid = cur.invalid;
        p.curMissing = Math.max(0, rows - n - cur.invalid);
        p.refMean = ref.count > 0 ? ref.mean : null;
        p.refSd = ref.count > 1 ? ref.sd : null;
        p.curMean = n > 0 ? finite(cur.mean()) : null;
        p.curSd = n > 1 ? finite(cur.sd()) : null;
        p.distribution = distribution(ref, cur);
        if (n > 0) {
            List<String> examples = new ArrayList<>();
            for (double x : cur.examples()) {
                examples.add(number(x));
            }
            p.outliers = new ColumnDrift.Outliers(cur.below, cur.above, (double) (cur.below + cur.above) / n,
                    examples);
            double[] refShares = ref.proportions;
            double[] curShares = NumericDrift.proportions(cur.bins);
            p.psi = NumericDrift.psi(refShares, curShares, PSI_EPS);
        }
        if (n < config.minRows()) {
            p.tooFew = n + " current values, fewer than min_rows " + config.minRows();
            return p;
        }
        if (ref.count < config.minRows() || ref.kll == null || ref.sample.length == 0) {
            p.tooFew = ref.count + " reference values, fewer than min_rows " + config.minRows();
            return p;
        }
        double lo = ref.clipLow();
        double hi = ref.clipHigh();
        double[] raw = cur.raw();
        if (raw != null) {
            double[] refSample = ref.sample;
            p.test = "ks";
            p.statistic = NumericDrift.ksStatistic(refSample, raw);
            p.p = NumericDrift.ksPValue(refSample, raw);
            p.distance = NumericDrift.wasserstein(clip(refSample, lo, hi), clip(raw, lo, hi)) / ref.scale();
        } else {
            p.test = "ks_sketch";
            double error = rankError(ref.kll) + rankError(cur.kll);
            double d = ksStatistic(ref.kll, cur.kll);
            p.statistic = d;
            p.sketchError = error;
            double en = (double) ref.count * n / ((double) ref.count + n);
            p.p = KolmogorovSmirnov.kolmogorovSf(Math.max(1, Math.round(en)), Math.max(0, d - error));
            p.distance = wasserstein(ref.kll, cur.kll, lo, hi) / ref.scale();
        }
        return p;
    }

    private static Pending categorical(String name, Reference.Categorical ref, CurrentWindow.Categorical cur,
                                       long rows, DriftConfig config) {
        Pending p = new Pending(name, false);
        Map<String, Long> curCounts = cur.sorted();
        long n = cur.count;
        p.refCount = ref.count;
        p.curCount = n;
        p.curMissing = Math.max(0, rows - n);
        List<String> categories = CategoricalDrift.categories(ref.counts, curCounts);
        double[] rs = CategoricalDrift.proportions(ref.counts, categories);
        double[] cs = CategoricalDrift.proportions(curCounts, categories);
        p.distribution = new ColumnDrift.Distribution(categories, boxed(rs), boxed(cs));
        if (n > 0) {
            long unseen = 0;
            List<String> examples = new ArrayList<>();
            if (ref.exact) {
                for (Map.Entry<String, Long> e : curCounts.entrySet()) {
                    if (!ref.counts.containsKey(e.getKey())) {
                        unseen += e.getValue();
                        if (examples.size() < CurrentWindow.EXAMPLES) {
                            examples.add(e.getKey());
                        }
                    }
                }
            }
            p.outliers = new ColumnDrift.Outliers(0, unseen, (double) unseen / n, examples);
            if (ref.count > 0) {
                p.psi = NumericDrift.psi(rs, cs, PSI_EPS);
            }
        }
        if (n < config.minRows()) {
            p.tooFew = n + " current values, fewer than min_rows " + config.minRows();
            return p;
        }
        if (ref.count < config.minRows()) {
            p.tooFew = ref.count + " reference values, fewer than min_rows " + config.minRows();
            return p;
        }
        Chi2Result chi2 = CategoricalDrift.chi2Contingency(ref.counts, curCounts);
        p.test = "chi_square";
        p.statistic = chi2.statistic();
        p.p = chi2.pValue();
        p.distance = NumericDrift.jensenShannonDistance(rs, cs);
        return p;
    }

    private static ColumnDrift.Distribution distribution(Reference.Numeric ref, CurrentWindow.Numeric cur) {
        double[] edges = ref.edges;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i <= edges.length; i++) {
            if (edges.length == 0) {
                labels.add("all");
            } else if (i == 0) {
                labels.add("≤ " + number(edges[0]));
            } else if (i == edges.length) {
                labels.add("> " + number(edges[i - 1]));
            } else {
                labels.add("(" + number(edges[i - 1]) + ", " + number(edges[i]) + "]");
            }
        }
        return new ColumnDrift.Distribution(labels, boxed(ref.proportions),
                boxed(NumericDrift.proportions(cur.bins)));
    }

    /** The rank error of a sketch (99 % confidence, one query); 0 while it still holds every value. */
    static double rankError(KllDoublesSketch s) {
        return s.isEstimationMode() ? s.getNormalizedRankError(false) : 0.0;
    }

    /**
     * The KS statistic of two sketches: the largest difference of their CDFs at every value either retains
     * (where the empirical CDFs they summarise can jump).
     */
    static double ksStatistic(KllDoublesSketch a, KllDoublesSketch b) {
        double[] xa = a.getSortedView().getQuantiles();
        double[] xb = b.getSortedView().getQuantiles();
        double[] xs = new double[xa.length + xb.length];
        System.arraycopy(xa, 0, xs, 0, xa.length);
        System.arraycopy(xb, 0, xs, xa.length, xb.length);
        Arrays.sort(xs);
        double[] ra = a.getRanks(xs, QuantileSearchCriteria.INCLUSIVE);
        double[] rb = b.getRanks(xs, QuantileSearchCriteria.INCLUSIVE);
        double d = 0;
        for (int i = 0; i < xs.length; i++) {
            d = Math.max(d, Math.abs(ra[i] - rb[i]));
        }
        return d;
    }

    /**
     * The first Wasserstein distance of two sketches: the mean absolute difference of their quantile functions
     * at {@value #QUANTILE_STEPS} evenly spaced ranks, values clipped to {@code [lo, hi]}.
     */
    static double wasserstein(KllDoublesSketch a, KllDoublesSketch b, double lo, double hi) {
        double[] ranks = new double[QUANTILE_STEPS];
        for (int i = 0; i < QUANTILE_STEPS; i++) {
            ranks[i] = (i + 0.5) / QUANTILE_STEPS;
        }
        double[] qa = a.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
        double[] qb = b.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
        double sum = 0;
        for (int i = 0; i < QUANTILE_STEPS; i++) {
            sum += Math.abs(Math.min(hi, Math.max(lo, qa[i])) - Math.min(hi, Math.max(lo, qb[i])));
        }
        return sum / QUANTILE_STEPS;
    }

    /** A value JSON can hold: a mean or SD that overflowed (values near 1e308) is left out, not reported as Infinity. */
    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static double[] clip(double[] values, double lo, double hi) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.min(hi, Math.max(lo, values[i]));
        }
        return out;
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    /** A value for people: up to 6 significant digits. */
    static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toString();
    }

    private static String decimal(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    /** Formats "value op threshold" with 2 decimals, more if needed to tell them apart. */
    private static String pair(double value, double threshold, String op) {
        for (int decimals = 2; decimals < 6; decimals++) {
            String v = String.format(Locale.ROOT, "%." + decimals + "f", value);
            String th = String.format(Locale.ROOT, "%." + decimals + "f", threshold);
            if (!v.equals(th)) {
                return v + op + th;
            }
        }
        return String.format(Locale.ROOT, "%.6g%s%.6g", value, op, threshold);
    }

    /** Two significant digits, e.g. 0.37, 0.01, 3.2E-7. */
    static String pValue(double p) {
        if (p == 0.0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(p).round(new MathContext(2)).stripTrailingZeros();
        return p >= 1e-4 ? bd.toPlainString() : bd.toString();
    }
}
