package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a table in memory is usable for training under a schema: the ingest rules
 * ({@link DatasetScanner}) with the default configuration, keeping the {@linkplain AnomalyKind#blocking()
 * blocking} anomalies (what training cannot read past, whatever a dataset's configuration allows).
 */
public final class Validator {

    /** Maximum number of problems listed in a report (all are counted). */
    public static final int MAX_PROBLEMS = 100;
    /** Minimum number of data rows. */
    public static final int MIN_ROWS = 10;
    /** Minimum number of rows of every label class. */
    public static final int MIN_ROWS_PER_CLASS = 2;

    private Validator() {
    }

    /**
     * Validates a table against a schema.
     *
     * @param t the table
     * @param s the schema
     * @return the report; {@code valid} is true iff no blocking problem was found
     */
    public static ValidationReport validate(CsvTable t, Schema s) {
        DatasetScan scan = DatasetScanner.scan(t, DatasetScanner.Mode.validate(new Schema(s.label(), s.features(), null, null,
                        s.task())),
                ValidationConfig.defaults());
        List<Problem> problems = new ArrayList<>();
        long count = 0;
        for (Anomaly a : scan.anomalies()) {
            if (!a.kind().blocking()) {
                continue;
            }
            count += Math.max(1, a.rows());
            if (problems.size() < MAX_PROBLEMS) {
                Long line = a.examples().isEmpty() ? null : a.examples().get(0).line();
                problems.add(new Problem(a.kind().name(), a.column(), line, a.message()));
            }
        }
        Map<String, Long> missing = new LinkedHashMap<>();
        if (scan.profile() != null) {
            scan.profile().features().forEach((name, f) -> missing.put(name, f.missing()));
            long labelled = scan.profile().target() != null ? scan.profile().target().count()
                    : scan.profile().labels().values().stream().mapToLong(Long::longValue).sum();
            if (t.columnIndex(s.label()) >= 0) {
                missing.put(s.label(), scan.profile().rows() - labelled);
            }
        }
        return new ValidationReport(problems.isEmpty(), scan.rows(), scan.columns(), problems, count, missing,
                scan.profile() == null ? Map.of() : scan.profile().labels());
    }
}
