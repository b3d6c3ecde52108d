package dev.mlops.core.data;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link Validator#validate(CsvTable, Schema)}.
 *
 * @param valid           true if there is no problem
 * @param rows            number of data rows
 * @param columns         number of header columns
 * @param problems        the first (at most {@value Validator#MAX_PROBLEMS}) problems
 * @param problemCount    the total number of problems, including those not listed
 * @param missingByColumn number of missing cells per schema column present in the header
 * @param labelCounts     number of rows per non-missing label value, sorted by label
 */
public record ValidationReport(boolean valid, long rows, int columns, List<Problem> problems, long problemCount,
                               Map<String, Long> missingByColumn, Map<String, Long> labelCounts) {

    /** Defensive copies. */
    public ValidationReport {
        problems = List.copyOf(problems);
        missingByColumn = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missingByColumn));
        labelCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labelCounts));
    }
}
