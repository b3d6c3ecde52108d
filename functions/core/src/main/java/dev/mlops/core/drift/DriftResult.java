package dev.mlops.core.drift;

import java.util.List;
import java.util.Map;

/**
 * What a drift comparison concluded, for the dataset and for each column.
 *
 * @param verdict        DRIFTED when the share of drifted columns exceeds {@link DriftConfig#driftShare()} (or
 *                       the predictions drifted and {@link DriftConfig#predictionDrift()} says that counts);
 *                       NOT_ENOUGH_DATA when fewer than {@link DriftConfig#minRows()} rows (or no column with
 *                       enough values); else NO_DRIFT
 * @param reason         the verdict in one sentence
 * @param shareDrifted   drifted columns over the columns with enough values
 * @param rows           current rows
 * @param referenceRows  rows of the reference profile
 * @param drifted        the drifted columns, in column order
 * @param columns        per column, in the reference's order
 * @param prediction     the predicted labels against the reference's labels (null when either side has none)
 * @param rule           the settings the verdicts were reached with
 */
public record DriftResult(Verdict verdict, String reason, double shareDrifted, long rows, long referenceRows,
                          List<String> drifted, Map<String, ColumnDrift> columns, ColumnDrift prediction,
                          Rule rule) {

    /**
     * The decision rule as applied (the config's drift settings, echoed in every report).
     *
     * @param alpha             significance of the family of tests
     * @param correction        the correction applied
     * @param tests             how many tests the correction counted
     * @param minRows           fewest rows (and values per column) for a verdict
     * @param exactMaxRows      current values up to which tests are exact
     * @param numericEffect     numeric distance threshold (Wasserstein / reference SD)
     * @param categoricalEffect categorical distance threshold (Jensen-Shannon)
     * @param driftShare        share of drifted columns the dataset verdict needs to exceed
     * @param predictionDrift   whether prediction drift alone makes the dataset DRIFTED
     */
    public record Rule(double alpha, String correction, int tests, int minRows, int exactMaxRows,
                       double numericEffect, double categoricalEffect, double driftShare, boolean predictionDrift) {
    }
}
