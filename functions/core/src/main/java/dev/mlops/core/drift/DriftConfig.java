package dev.mlops.core.drift;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Regression;

import java.util.Locale;

/**
 * How a model's drift check decides: the {@code drift} section of {@code schemas/<dataset>/config.json}.
 * Every field is optional; an absent one takes the default below (docs/closing-the-loop.md "Settings").
 *
 * <p>A column DRIFTED when its test is significant after the correction for testing many columns <em>and</em>
 * its distance exceeds the effect threshold: the test keeps small samples from being flagged by noise, the
 * effect threshold keeps huge samples from being flagged for negligible shifts.
 *
 * @param alpha             significance level of the family of column tests (default 0.05)
 * @param correction        correction for testing many columns: {@code bonferroni} (default), {@code holm},
 *                          {@code benjamini_hochberg} or {@code none}
 * @param minRows           fewest current rows (and values of a column) for a verdict; below it the verdict is
 *                          NOT_ENOUGH_DATA (default 100)
 * @param exactMaxRows      current values of a numeric column up to which the KS test and the distance are
 *                          computed exactly on raw values (the reference's stored sample of up to 2,000
 *                          values against every current value); above it, on the KLL sketches, with their rank
 *                          error written in the report (default 10,000)
 * @param numericEffect     numeric distance threshold: first Wasserstein distance divided by the reference's
 *                          standard deviation, i.e. a mean shift of this many standard deviations (default 0.1)
 * @param categoricalEffect categorical distance threshold: Jensen-Shannon distance, base 2 (default 0.1)
 * @param bins              bins of the reference histogram, at the reference's quantiles (default 10); the PSI
 *                          and the report's distributions use them
 * @param driftShare        the dataset DRIFTED when the share of drifted columns exceeds this (default 0: any
 *                          drifted column; 0.5 asks for broad drift, as Evidently's default)
 * @param predictionDrift   whether drift of the predicted labels makes the dataset DRIFTED (default true)
 * @param quality           live quality from ground-truth feedback
 * @param retraining        what a DRIFTED or DEGRADED check starts
 * @param missingChange     a column also DRIFTED when the share of rows without a value moved by more than this
 *                          many (as a fraction: 0.1 is ten percentage points, the default) and the chi-square test
 *                          of the two missing counts is significant at {@code alpha}
 */
public record DriftConfig(Double alpha, String correction, Integer minRows, Integer exactMaxRows, Double numericEffect,
                          Double categoricalEffect, Integer bins, Double driftShare, Boolean predictionDrift,
                          Quality quality, Retraining retraining, Double missingChange) {

    public static final String BONFERRONI = "bonferroni";
    public static final String HOLM = "holm";
    public static final String BENJAMINI_HOCHBERG = "benjamini_hochberg";
    public static final String NONE = "none";

    public DriftConfig {
        alpha = alpha == null ? 0.05 : alpha;
        correction = correction == null ? BONFERRONI : correction.toLowerCase(Locale.ROOT);
        minRows = minRows == null ? 100 : minRows;
        exactMaxRows = exactMaxRows == null ? 10_000 : exactMaxRows;
        numericEffect = numericEffect == null ? 0.1 : numericEffect;
        categoricalEffect = categoricalEffect == null ? 0.1 : categoricalEffect;
        bins = bins == null ? 10 : bins;
        driftShare = driftShare == null ? 0.0 : driftShare;
        predictionDrift = predictionDrift == null ? Boolean.TRUE : predictionDrift;
        quality = quality == null ? Quality.defaults() : quality;
        retraining = retraining == null ? Retraining.defaults() : retraining;
        missingChange = missingChange == null ? 0.1 : missingChange;
        if (!(alpha > 0 && alpha < 1)) {
            throw new ContractException("drift.alpha: must be between 0 and 1 (exclusive), got " + alpha);
        }
        if (!java.util.Set.of(BONFERRONI, HOLM, BENJAMINI_HOCHBERG, NONE).contains(correction)) {
            throw new ContractException("drift.correction: unknown correction \"" + correction
                    + "\"; expected bonferroni, holm, benjamini_hochberg or none");
        }
        if (minRows < 1) {
            throw new ContractException("drift.min_rows: must be at least 1, got " + minRows);
        }
        if (exactMaxRows < 1 || exactMaxRows > 1_000_000) {
            throw new ContractException("drift.exact_max_rows: must be between 1 and 1,000,000, got " + exactMaxRows);
        }
        if (!(numericEffect >= 0) || Double.isInfinite(numericEffect)) {
            throw new ContractException("drift.numeric_effect: must be a finite number >= 0, got " + numericEffect);
        }
        if (!(categoricalEffect >= 0 && categoricalEffect <= 1)) {
            throw new ContractException("drift.categorical_effect: must be between 0 and 1, got " + categoricalEffect);
        }
        if (bins < 2 || bins > 100) {
            throw new ContractException("drift.bins: must be between 2 and 100, got " + bins);
        }
        if (!(driftShare >= 0 && driftShare < 1)) {
            throw new ContractException("drift.drift_share: must be at least 0 and below 1, got " + driftShare);
        }
        if (!(missingChange > 0 && missingChange <= 1)) {
            throw new ContractException("drift.missing_change: must be above 0 and at most 1, got " + missingChange);
        }
    }

    /** Every default. */
    public static DriftConfig defaults() {
        return new DriftConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same rule with another minimum of rows (tests, the comparison of two files). */
    public DriftConfig withMinRows(int rows) {
        return new DriftConfig(alpha, correction, rows, exactMaxRows, numericEffect, categoricalEffect, bins, driftShare,
                predictionDrift, quality, retraining, missingChange);
    }

    /**
     * Live quality: accuracy and macro-F1 (a classification) or RMSE and MAE (a regression) of the recent requests
     * that got a ground-truth label, against the model's own test score.
     *
     * @param metric      {@code accuracy} (default) or {@code macro_f1} for a classification; {@code rmse} or
     *                    {@code mae} for a regression (a regression model is judged on RMSE unless this says
     *                    {@code mae})
     * @param maxDrop     a classification DEGRADED when the live metric is below the test score by more than this
     *                    (default 0.05); for accuracy, when even the upper end of its 95 % Wilson interval is
     * @param minLabels   fewest labelled rows for a verdict (default 50); below it NOT_ENOUGH_DATA
     * @param labelDelayMinutes how far the quality window lags the drift window (default 0): labels that come
     *                    later than their predictions are joined when the window is that much older
     * @param maxRise     a regression DEGRADED when its live error is above its test error by more than this
     *                    fraction of it (default 0.2: live RMSE above 1.2 × test RMSE); a fraction, so one setting
     *                    fits labels of any scale
     */
    public record Quality(String metric, Double maxDrop, Integer minLabels, Integer labelDelayMinutes, Double maxRise) {

        /** The metrics live quality knows for a regression. */
        public static final java.util.List<String> REGRESSION_METRICS = java.util.List.of(Regression.RMSE, Regression.MAE);

        public Quality {
            metric = metric == null ? Classification.TASK.defaultMetric() : metric;
            maxDrop = maxDrop == null ? 0.05 : maxDrop;
            minLabels = minLabels == null ? 50 : minLabels;
            labelDelayMinutes = labelDelayMinutes == null ? 0 : labelDelayMinutes;
            maxRise = maxRise == null ? 0.2 : maxRise;
            if (!Classification.TASK.knows(metric) && !REGRESSION_METRICS.contains(metric)) {
                throw new ContractException("drift.quality.metric: unknown metric \"" + metric
                        + "\"; expected " + Classification.TASK.metricNames() + " (a classification) or "
                        + REGRESSION_METRICS + " (a regression)");
            }
            if (!(maxRise >= 0) || Double.isInfinite(maxRise)) {
                throw new ContractException("drift.quality.max_rise: must be a finite number >= 0, got " + maxRise);
            }
            if (!(maxDrop >= 0 && maxDrop <= 1)) {
                throw new ContractException("drift.quality.max_drop: must be between 0 and 1, got " + maxDrop);
            }
            if (minLabels < 1) {
                throw new ContractException("drift.quality.min_labels: must be at least 1, got " + minLabels);
            }
            if (labelDelayMinutes < 0 || labelDelayMinutes > 7 * 24 * 60) {
                throw new ContractException("drift.quality.label_delay_minutes: must be between 0 and 10080 (a week),"
                        + " got " + labelDelayMinutes);
            }
        }

        public static Quality defaults() {
            return new Quality(null, null, null, null, null);
        }

        /** The regression metric live quality is judged on: {@code mae} when asked for, else {@code rmse}. */
        public String regressionMetric() {
            return Regression.MAE.equals(metric) ? Regression.MAE : Regression.RMSE;
        }
    }

    /**
     * What a DRIFTED (or DEGRADED) check starts: a training run, at most once per cool-down.
     *
     * @param enabled         whether a check starts retraining at all (default true)
     * @param coolDownHours   at most one retraining per model in this many hours (default 24)
     * @param includeFeedback train on the latest accepted dataset version plus the labelled captured rows, as a
     *                        new dataset version ingested like any upload (default true); false: on the latest
     *                        accepted version as it is
     */
    public record Retraining(Boolean enabled, Double coolDownHours, Boolean includeFeedback) {

        public Retraining {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            coolDownHours = coolDownHours == null ? 24.0 : coolDownHours;
            includeFeedback = includeFeedback == null ? Boolean.TRUE : includeFeedback;
            if (!(coolDownHours >= 0 && coolDownHours <= 24 * 365)) {
                throw new ContractException("drift.retraining.cool_down_hours: must be between 0 and 8760, got "
                        + coolDownHours);
            }
        }

        public static Retraining defaults() {
            return new Retraining(null, null, null);
        }
    }
}
