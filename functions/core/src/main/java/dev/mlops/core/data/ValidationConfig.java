package dev.mlops.core.data;

import dev.mlops.core.errors.ContractException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How strict ingest validation is for one dataset: the {@code validation} section of
 * {@code schemas/<dataset>/config.json}. Every field is optional; an absent one takes the default below.
 *
 * @param missingMarkers         cell texts that mean "no value", compared trimmed and ignoring case
 *                               (default {@code "", NA, N/A, NaN, null, ?})
 * @param severity               severity per anomaly kind, overriding {@link AnomalyKind#defaultSeverity()};
 *                               a {@linkplain AnomalyKind#blocking() blocking} kind cannot be made a warning
 * @param maxErrorRows           validation stops after this many rows with an error (default 1,000), so a
 *                               hopeless file is not read to the end; the report says where it stopped
 * @param typeMismatchMaxShare   on a first upload, a column whose non-numbers are at most this share of its
 *                               values is numeric (each non-number a {@link AnomalyKind#TYPE_MISMATCH}); above
 *                               it the column is categorical (default 0.1)
 * @param duplicateRowsMaxShare  share of duplicate rows above which {@link AnomalyKind#DUPLICATE_ROWS} is
 *                               reported (default 0.1: real tables of small integers repeat rows, the bundled
 *                               letter data 6.7 % of them; a copy or a join gone wrong repeats far more)
 * @param completenessTolerance  how far (absolute share) a column's completeness may fall below the schema's
 *                               baseline before {@link AnomalyKind#COMPLETENESS} (default 0.05)
 * @param inferenceRows          rows read to infer the types of a first upload (default 10,000); the whole
 *                               file is then checked against them
 * @param maxValueLength         longest categorical or label cell, in characters (default 1,024, at most 10,000:
 *                               values are keys of the stored profile, and a JSON reader limits key length)
 * @param minRows                fewest rows to train and evaluate on (default 10)
 * @param minRowsPerClass        fewest rows per label class (default 2)
 * @param maxClasses             most label classes (default 1,000)
 */
public record ValidationConfig(List<String> missingMarkers, Map<AnomalyKind, Severity> severity, Long maxErrorRows,
                               Double typeMismatchMaxShare, Double duplicateRowsMaxShare,
                               Double completenessTolerance, Integer inferenceRows,
                               Integer maxValueLength, Integer minRows, Integer minRowsPerClass, Integer maxClasses) {

    /** Upper bound of {@link #maxValueLength()}. */
    public static final int MAX_VALUE_LENGTH = 10_000;

    /** The markers used when none are configured. */
    public static final List<String> DEFAULT_MISSING_MARKERS = List.of("", "NA", "N/A", "NaN", "null", "?");

    /**
     * Fills defaults and checks ranges.
     *
     * @throws ContractException naming the field, for a value out of range or a blocking kind made a warning
     */
    public ValidationConfig {
        missingMarkers = missingMarkers == null ? DEFAULT_MISSING_MARKERS : List.copyOf(missingMarkers);
        Map<AnomalyKind, Severity> s = new EnumMap<>(AnomalyKind.class);
        if (severity != null) {
            severity.forEach((kind, level) -> {
                if (kind == null || level == null) {
                    throw new ContractException("validation.severity: kinds and severities must not be null");
                }
                if (kind.blocking() && level == Severity.WARNING) {
                    throw new ContractException("validation.severity." + kind + " cannot be WARNING: training cannot"
                            + " read past it, so it is always an ERROR");
                }
                s.put(kind, level);
            });
        }
        severity = Map.copyOf(s);
        maxErrorRows = positive("max_error_rows", maxErrorRows, 1_000L);
        typeMismatchMaxShare = share("type_mismatch_max_share", typeMismatchMaxShare, 0.1);
        duplicateRowsMaxShare = share("duplicate_rows_max_share", duplicateRowsMaxShare, 0.1);
        completenessTolerance = share("completeness_tolerance", completenessTolerance, 0.05);
        inferenceRows = intPositive("inference_rows", inferenceRows, 10_000);
        maxValueLength = intPositive("max_value_length", maxValueLength, 1_024);
        if (maxValueLength > MAX_VALUE_LENGTH) {
            throw new ContractException("validation.max_value_length must be at most " + MAX_VALUE_LENGTH + ", got "
                    + maxValueLength);
        }
        minRows = intPositive("min_rows", minRows, 10);
        minRowsPerClass = intPositive("min_rows_per_class", minRowsPerClass, 2);
        maxClasses = intPositive("max_classes", maxClasses, 1_000);
    }

    /** Every default. */
    public static ValidationConfig defaults() {
        return new ValidationConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The severity of a kind for this dataset. */
    public Severity severityOf(AnomalyKind kind) {
        return severity.getOrDefault(kind, kind.defaultSeverity());
    }

    /** The same configuration with other missing markers (for the command line). */
    public ValidationConfig withMissingMarkers(List<String> markers) {
        return new ValidationConfig(markers, severity, maxErrorRows, typeMismatchMaxShare, duplicateRowsMaxShare,
                completenessTolerance, inferenceRows, maxValueLength, minRows, minRowsPerClass,
                maxClasses);
    }

    private static Long positive(String field, Long value, long dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new ContractException("validation." + field + " must be between 1 and " + Integer.MAX_VALUE
                    + ", got " + value);
        }
        return value;
    }

    private static Integer intPositive(String field, Integer value, long dflt) {
        return (int) (long) positive(field, value == null ? null : (long) value, dflt);
    }

    private static Double share(String field, Double value, double dflt) {
        if (value == null) {
            return dflt;
        }
        if (!(value >= 0 && value <= 1)) {
            throw new ContractException("validation." + field + " must be a share between 0 and 1, got " + value);
        }
        return value;
    }
}
