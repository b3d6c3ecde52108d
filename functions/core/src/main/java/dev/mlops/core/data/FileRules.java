package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules about the file as a whole, noted once it (or its header) is known: the header against the schema
 * (missing and unexpected columns, at least one feature), enough rows, columns with values and the completeness
 * the schema expects, a label with a plausible number of classes of enough rows each, and few duplicate rows.
 */
final class FileRules {

    private final ValidationConfig config;
    private final AnomalyLog log;

    FileRules(ValidationConfig config, AnomalyLog log) {
        this.config = config;
        this.log = log;
    }

    /** The header against the schema: every schema column present, no column the schema does not know, a feature. */
    void header(String[] header, Schema s) {
        Set<String> present = new HashSet<>(List.of(header));
        for (Column c : s.features()) {
            if (!present.contains(c.name())) {
                log.note(AnomalyKind.MISSING_COLUMN, c.name(), 0, "column \"" + Anomaly.shorten(c.name())
                        + "\" of the schema is not in the header: add it (missing values may be left empty)");
            }
        }
        if (!present.contains(s.label())) {
            log.note(AnomalyKind.MISSING_COLUMN, s.label(), 0, "label column \"" + Anomaly.shorten(s.label())
                    + "\" of the schema is not in the header");
        }
        Set<String> known = new HashSet<>(s.columnNames());
        Set<String> reported = new HashSet<>();
        for (String name : header) {
            if (!name.isEmpty() && !known.contains(name) && reported.add(name)) {
                log.note(AnomalyKind.UNEXPECTED_COLUMN, name, 0, "column \"" + Anomaly.shorten(name)
                        + "\" is not in the schema, so it is not trained on: remove it from the file, or add it"
                        + " to the schema's features");
            }
        }
        if (s.features().isEmpty()) {
            log.note(AnomalyKind.NO_FEATURES, null, 0, "the file has no feature column besides the label \""
                    + Anomaly.shorten(s.label()) + "\": a model needs at least one column to learn from");
        }
    }

    /** Enough rows to train and evaluate a model. */
    void rows(long rows) {
        if (rows < config.minRows()) {
            log.note(AnomalyKind.TOO_FEW_ROWS, null, 0, "the file has " + rows + " data rows, at least "
                    + config.minRows() + " are needed to train and evaluate a model");
        }
    }

    /**
     * A column's rules, once its profile is known: it has a value somewhere, and (against an accepted schema) its
     * completeness has not fallen below the schema's baseline by more than the tolerance.
     */
    void column(Column col, FeatureProfile f, long wellFormed, boolean inferred, Schema schema) {
        long values = f.count() + (f.invalid() == null ? 0 : f.invalid());
        if (values == 0 && wellFormed > 0) {
            log.note(AnomalyKind.EMPTY_COLUMN, col.name(), f.missing(), "column \"" + Anomaly.shorten(col.name())
                    + "\" has no value in any of the " + wellFormed + " rows"
                    + (inferred ? ", so its type cannot be inferred: fill it or drop it" : ": fill it or drop it"));
            return;
        }
        Schema.Domain d = inferred ? null : schema.domain(col.name());
        if (d != null && d.completeness() != null && wellFormed > 0) {
            double completeness = (double) (wellFormed - f.missing()) / wellFormed;
            if (completeness < d.completeness() - config.completenessTolerance()) {
                log.note(AnomalyKind.COMPLETENESS, col.name(), f.missing(), "column \""
                        + Anomaly.shorten(col.name()) + "\" has a value in " + AnomalyText.percent(completeness)
                        + " of the rows; the schema's baseline is " + AnomalyText.percent(d.completeness())
                        + " (tolerance " + AnomalyText.percent(config.completenessTolerance()) + "): " + f.missing()
                        + " rows miss it; check the source, or lower the baseline in the schema");
            }
        }
    }

    /** The label's rules: a plausible number of classes, each with enough rows for training and test. */
    void label(String label, Map<String, Long> labelCounts, long labelsOverflow) {
        if (labelsOverflow > 0) {
            log.note(AnomalyKind.TOO_MANY_CLASSES, label, labelsOverflow, "label \"" + Anomaly.shorten(label)
                    + "\" has more than " + config.maxClasses() + " distinct values: is it the right column?"
                    + " (name the label with --label / the object metadata \"label\")");
            return;
        }
        if (labelCounts.size() < 2) {
            log.note(AnomalyKind.TOO_FEW_CLASSES, label, 0, "label \"" + Anomaly.shorten(label) + "\" has "
                    + labelCounts.size() + " distinct value(s); at least 2 are needed to train a classifier");
        }
        List<String> small = new ArrayList<>();
        long smallRows = 0;
        for (Map.Entry<String, Long> e : labelCounts.entrySet()) {
            if (e.getValue() < config.minRowsPerClass()) {
                small.add("\"" + Anomaly.shorten(e.getKey()) + "\" has " + e.getValue() + " row(s)");
                smallRows += e.getValue();
            }
        }
        if (!small.isEmpty()) {
            log.note(AnomalyKind.CLASS_TOO_SMALL, label, smallRows, "label class "
                    + String.join(", ", small.subList(0, Math.min(5, small.size())))
                    + (small.size() > 5 ? " and " + (small.size() - 5) + " more" : "") + "; at least "
                    + config.minRowsPerClass() + " are needed per class so it can be in both the training and"
                    + " the test rows");
        }
    }

    /**
     * A regression label's rules: it varies (a constant has nothing to learn), and values far beyond its quartiles
     * are pointed out (a unit slip, a sentinel such as 999999), not refused.
     */
    void target(String label, FeatureProfile f, CellChecks.Outliers outliers) {
        if (f.count() > 0 && f.min().equals(f.max())) {
            log.note(AnomalyKind.TOO_FEW_CLASSES, label, 0, "label \"" + Anomaly.shorten(label) + "\" has one value ("
                    + f.min() + ") in every row; a regression needs it to vary");
        }
        if (outliers != null && outliers.below() + outliers.above() > 0) {
            log.note(AnomalyKind.LABEL_OUTLIERS, label, outliers.below() + outliers.above(), "label \""
                    + Anomaly.shorten(label) + "\" has about " + (outliers.below() + outliers.above())
                    + " value(s) beyond " + CellChecks.OUTLIER_IQRS + " interquartile ranges from its quartiles (below "
                    + String.format(java.util.Locale.ROOT, "%.6g", outliers.low()) + ": " + outliers.below() + ", above "
                    + String.format(java.util.Locale.ROOT, "%.6g", outliers.high()) + ": " + outliers.above()
                    + "; range " + f.min() + " to " + f.max() + "): check them, they weigh heavily on RMSE");
        }
    }

    /** Duplicate rows: their share may not exceed {@link ValidationConfig#duplicateRowsMaxShare()}. */
    void duplicates(RowHashes hashes, long wellFormed) {
        if (wellFormed == 0) {
            return;
        }
        long found = hashes.duplicates();
        boolean estimated = hashes.overflowed();
        long count = estimated ? Math.max(found, hashes.estimatedDuplicates(wellFormed)) : found;
        double share = (double) count / wellFormed;
        if (count > 0 && share > config.duplicateRowsMaxShare()) {
            for (long[] ex : hashes.examples()) {
                log.row(AnomalyKind.DUPLICATE_ROWS, null, ex[0], "same as line " + ex[1]);
            }
            log.note(AnomalyKind.DUPLICATE_ROWS, null, count - hashes.examples().size(), (estimated ? "about " : "")
                    + count + " row(s) (" + AnomalyText.percent(share) + ") repeat an earlier row exactly, more than the "
                    + AnomalyText.percent(config.duplicateRowsMaxShare()) + " allowed (validation.duplicate_rows_max_share)"
                    + (hashes.examples().isEmpty() ? "" : ", e.g. line " + hashes.examples().get(0)[0]
                    + " repeats line " + hashes.examples().get(0)[1])
                    + ": remove the copies, or they weigh more in training and may leak into the test rows");
        }
    }
}
