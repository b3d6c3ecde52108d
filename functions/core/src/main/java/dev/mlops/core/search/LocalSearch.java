package dev.mlops.core.search;

import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.explain.FeatureImportance;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.ValidationReport;
import dev.mlops.core.data.Validator;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Task;
import dev.mlops.core.model.family.NativeLibrary;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pipeline's search on one machine, in one process: the same candidates ({@link CandidateSearch}),
 * the same trainer ({@link ModelTrainer}), the same tracking records and the same ranking
 * ({@link Selection}) as a pipeline run, without S3 or Step Functions. Behind {@code ./mlops train}.
 *
 * <p>With a separate test table (a fixed reference split, say), the training table's rows are split
 * into training and validation rows by row hash ({@code validation_fraction} of them validate) and
 * every row of the test table is a test row; without one, the rows are split as in the pipeline.
 */
public final class LocalSearch {

    /**
     * What a search produced.
     *
     * @param schema      the schema inferred from the training table
     * @param candidates  what was trained, in order
     * @param records     one tracking record per candidate (artifact keys are relative: {@code <index>/model.tribuo})
     * @param results     the trained candidates' results by index (artifacts in memory)
     * @param leaderboard the ranking
     * @param wallMillis  wall time of the whole search
     * @param importance  the selected candidate's feature importance on its test rows; null when none was selected
     */
    public record Outcome(Schema schema, List<CandidateSpec> candidates, List<CandidateRecord> records,
                          Map<Integer, TrainingResult> results, Leaderboard leaderboard, long wallMillis,
                          FeatureImportance importance) {

        /** The selected candidate's result. */
        public Optional<TrainingResult> best() {
            return leaderboard.selected().map(e -> results.get(e.candidateIndex()));
        }
    }

    private LocalSearch() {
    }

    /**
     * Runs the search.
     *
     * @param train    the training table (with the label column)
     * @param test     a separate test table with the same columns, or null
     * @param label    the label column
     * @param task     {@code classification} or {@code regression}; null: inferred from the label's values, as an
     *                 upload's
     * @param settings the training settings ({@code config.json}'s {@code training} section)
     * @param progress receives one line per finished candidate
     * @throws IllegalArgumentException when the data is invalid or the tables' columns differ
     */
    public static Outcome run(CsvTable train, CsvTable test, String label, String task, TrainingSettings settings,
                              Consumer<String> progress) {
        return run(train, test, label, task, settings, progress, NativeLibrary::unavailableReason);
    }

    static Outcome run(CsvTable train, CsvTable test, String label, TrainingSettings settings,
                       Consumer<String> progress, Function<NativeLibrary, Optional<String>> nativeLibraries) {
        return run(train, test, label, null, settings, progress, nativeLibraries);
    }

    static Outcome run(CsvTable train, CsvTable test, String label, String task, TrainingSettings settings,
                       Consumer<String> progress, Function<NativeLibrary, Optional<String>> nativeLibraries) {
        long started = System.nanoTime();
        Schema schema = Schema.infer(train, label, task);
        ValidationReport report = Validator.validate(train, schema);
        if (!report.valid()) {
            throw new IllegalArgumentException("invalid training data: " + report.problems().get(0).message());
        }
        List<CandidateSpec> candidates;
        try {
            candidates = CandidateSearch.expand(settings, Task.of(schema.task()), report.labelCounts(),
                    train.rows().size());
        } catch (dev.mlops.core.errors.ContractException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        CsvTable table = train;
        Split split = null;
        if (test != null) {
            table = combine(train, test);
            split = referenceSplit(table, schema, candidates.get(0).split(), train.rows().size());
        }
        List<CandidateRecord> records = new ArrayList<>();
        Map<Integer, TrainingResult> results = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            CandidateSpec c = candidates.get(i);
            Family family = Family.require(c.algorithm());
            Optional<String> unavailable = family.unavailableReason(nativeLibraries);
            if (unavailable.isPresent()) {
                records.add(CandidateRecord.skipped(null, i, c, unavailable.get(), null, null));
                progress.accept("candidate " + i + " " + c.algorithm() + ": skipped: " + unavailable.get());
                continue;
            }
            long candidateStarted = System.nanoTime();
            java.time.Instant startedAt = java.time.Instant.now();
            TrainingResult r = ModelTrainer.train(table, schema,
                    CandidateSearch.config(c), split);
            results.put(i, r);
            Metrics v = r.validation();
            records.add(CandidateRecord.trained(null, i, c, r, i + "/", startedAt, java.time.Instant.now()));
            progress.accept(String.format(java.util.Locale.ROOT,
                    "candidate %d/%d %s: validation %s %s, fit %.2f s, %.2f s in all (%d KiB model)",
                    i + 1, candidates.size(), c.algorithm(), c.selectionMetric(),
                    v == null || v.score(c.selectionMetric()) == null ? "-"
                            : String.format(java.util.Locale.ROOT, "%.4f", v.score(c.selectionMetric())),
                    r.fitMillis() / 1000.0, (System.nanoTime() - candidateStarted) / 1e9,
                    r.artifact().bytes().length / 1024));
        }
        Leaderboard board = Leaderboard.of(records);
        // Only the selected candidate is explained: a search's other candidates are thrown away.
        FeatureImportance importance = null;
        if (board.selected().isPresent()) {
            int best = board.selected().get().candidateIndex();
            TrainingResult r = results.get(best);
            List<Integer> testRows = split != null ? split.testRows()
                    : Evaluation.testRows(table, schema, candidates.get(best).split());
            importance = testRows.isEmpty() ? null : Evaluation.importance(Predictor.load(r.artifact(), r.signature()),
                    table, schema, testRows, candidates.get(best).seed());
        }
        return new Outcome(schema, candidates, List.copyOf(records), results, board,
                (System.nanoTime() - started) / 1_000_000, importance);
    }

    /** Training rows then test rows, the test table's columns put in the training table's order. */
    static CsvTable combine(CsvTable train, CsvTable test) {
        if (!new java.util.HashSet<>(train.header()).equals(new java.util.HashSet<>(test.header()))) {
            throw new IllegalArgumentException("the test file's columns " + test.header()
                    + " are not the training file's " + train.header());
        }
        int[] order = new int[train.header().size()];
        for (int c = 0; c < order.length; c++) {
            order[c] = test.columnIndex(train.header().get(c));
        }
        List<List<String>> rows = new ArrayList<>(train.rows());
        for (List<String> row : test.rows()) {
            List<String> r = new ArrayList<>(order.length);
            for (int c : order) {
                r.add(row.get(c));
            }
            rows.add(r);
        }
        return new CsvTable(train.header(), rows);
    }

    /**
     * Rows before {@code trainRows} train or validate (a row validates when its hash position is below the
     * validation fraction), the others test. Training rows in hash order, as in the pipeline.
     */
    static Split referenceSplit(CsvTable table, Schema schema, SplitSpec spec, int trainRows) {
        int[] columns = SplitSpec.columns(table, schema);
        record Hashed(int row, long hash) {
        }
        List<Hashed> fit = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            if (!SplitSpec.learnable(table.rows().get(r), columns)) {
                continue;
            }
            if (r >= trainRows) {
                test.add(r);
                continue;
            }
            List<String> cells = SplitSpec.cells(table.rows().get(r), columns);
            if (spec.unitOf(cells) < spec.validationFraction()) {
                validation.add(r);
            } else {
                fit.add(new Hashed(r, spec.hashOf(cells)));
            }
        }
        fit.sort(java.util.Comparator.comparingLong(Hashed::hash).thenComparingInt(Hashed::row));
        return new Split(fit.stream().map(Hashed::row).toList(), validation, test);
    }
}
