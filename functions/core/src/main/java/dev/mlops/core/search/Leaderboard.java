package dev.mlops.core.search;

import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.pipeline.TrainedCandidate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's candidates ranked by {@link Selection} (the rule that picks the registered one), from their
 * tracking records: what {@code ./mlops runs show} and {@code ./mlops train} print.
 *
 * @param selectionMetric the metric candidates were compared on (validation rows)
 * @param entries         best first; skipped candidates last
 * @param task            the candidates' task ({@code classification} or {@code regression}); its metrics are the
 *                        table's columns
 */
public record Leaderboard(String selectionMetric, List<Entry> entries, String task) {

    /** A missing task is a classification's (a leaderboard stored before tasks were named). */
    public Leaderboard {
        task = task == null ? Classification.TASK.id() : task;
    }

    /** A classification's leaderboard. */
    public Leaderboard(String selectionMetric, List<Entry> entries) {
        this(selectionMetric, entries, null);
    }

    /**
     * One candidate.
     *
     * @param rank               1 for the selected candidate (skipped candidates have none)
     * @param candidateIndex     its index in the run
     * @param algorithm          its family
     * @param hyperParameters    the hyper-parameters it was trained with, defaults included
     * @param status             TRAINED or SKIPPED
     * @param reason             why it was skipped
     * @param selectionScore     validation score on the selection metric
     * @param validationAccuracy validation accuracy
     * @param validationMacroF1  validation macro-F1
     * @param validationLogLoss  validation log-loss (null: scores are not probabilities)
     * @param testAccuracy       test accuracy
     * @param testMacroF1        test macro-F1
     * @param fitMillis          fit time
     * @param sha256             the artifact's sha256
     * @param validation         every validation metric of the task (summary; null: none)
     * @param test               every test metric of the task (summary; null: skipped)
     */
    public record Entry(Integer rank, int candidateIndex, String algorithm, Map<String, String> hyperParameters,
                        String status, String reason, Double selectionScore, Double validationAccuracy,
                        Double validationMacroF1, Double validationLogLoss, Double testAccuracy, Double testMacroF1, Long fitMillis,
                        String sha256, Map<String, Object> validation, Map<String, Object> test) {

        /** An entry without the task's full summaries (a classification's columns only). */
        public Entry(Integer rank, int candidateIndex, String algorithm, Map<String, String> hyperParameters,
                     String status, String reason, Double selectionScore, Double validationAccuracy,
                     Double validationMacroF1, Double validationLogLoss, Double testAccuracy, Double testMacroF1,
                     Long fitMillis, String sha256) {
            this(rank, candidateIndex, algorithm, hyperParameters, status, reason, selectionScore, validationAccuracy,
                    validationMacroF1, validationLogLoss, testAccuracy, testMacroF1, fitMillis, sha256,
                    summary(validationAccuracy, validationMacroF1, validationLogLoss),
                    summary(testAccuracy, testMacroF1, null));
        }

        private static Map<String, Object> summary(Double accuracy, Double macroF1, Double logLoss) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put(Classification.ACCURACY, accuracy);
            m.put(Classification.MACRO_F1, macroF1);
            m.put(Classification.LOG_LOSS, logLoss);
            return m;
        }

        /** A test metric by name, or null. */
        public Double testScore(String metric) {
            return number(test, metric);
        }
    }

    /** Ranks tracking records. */
    public static Leaderboard of(List<CandidateRecord> records) {
        List<TrainedCandidate> candidates = records.stream().map(r -> r.toTrainedCandidate(null)).toList();
        String metric = records.isEmpty() ? Classification.TASK.defaultMetric() : records.get(0).spec().selectionMetric();
        Comparator<TrainedCandidate> order = Selection.order(candidates, metric);
        Map<Integer, CandidateRecord> byIndex = new TreeMap<>();
        records.forEach(r -> byIndex.put(r.candidateIndex(), r));
        List<Entry> entries = new ArrayList<>();
        int rank = 0;
        for (TrainedCandidate c : candidates.stream().sorted(order).toList()) {
            CandidateRecord r = byIndex.get(c.candidateIndex());
            boolean trained = c.trained();
            entries.add(new Entry(trained ? ++rank : null, r.candidateIndex(), r.spec().algorithm(),
                    r.hyperParameters() == null ? r.spec().hyperParameters() : r.hyperParameters(), r.status(),
                    r.reason(), r.selectionScore(), number(r.validation(), "accuracy"),
                    number(r.validation(), "macro_f1"), number(r.validation(), "log_loss"),
                    number(r.test(), "accuracy"), number(r.test(), "macro_f1"),
                    r.fitMillis(), r.sha256(), r.validation(), r.test()));
        }
        String task = records.isEmpty() ? null : records.get(0).spec().task();
        return new Leaderboard(metric, List.copyOf(entries), task);
    }

    /** The selected candidate's entry, if any trained. */
    public java.util.Optional<Entry> selected() {
        return entries.stream().filter(e -> e.rank() != null && e.rank() == 1).findFirst();
    }

    /**
     * One metric column of the tables: a metric of the task on the validation or the test rows.
     *
     * @param title      its heading
     * @param validation the validation rows' (else the test rows')
     * @param metric     the metric's name in the summaries
     */
    public record Column(String title, boolean validation, String metric) {

        /** Its value in an entry, or null. */
        public Double of(Entry e) {
            return number(validation ? e.validation() : e.test(), metric);
        }
    }

    /** The task's metric columns, as {@link #table()} and the report page show them. */
    public List<Column> columns() {
        if (!Classification.TASK.id().equals(task)) {
            return List.of(new Column("val rmse", true, Regression.RMSE), new Column("val mae", true, Regression.MAE),
                    new Column("val r2", true, Regression.R2), new Column("test rmse", false, Regression.RMSE),
                    new Column("test mae", false, Regression.MAE), new Column("test r2", false, Regression.R2));
        }
        return List.of(new Column("val acc", true, Classification.ACCURACY),
                new Column("val f1", true, Classification.MACRO_F1),
                new Column("val loss", true, Classification.LOG_LOSS),
                new Column("test acc", false, Classification.ACCURACY),
                new Column("test f1", false, Classification.MACRO_F1));
    }

    /** A fixed-width table for people: the task's metrics on validation and test rows. */
    public String table() {
        List<Column> columns = columns();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-4s %-3s %-20s", "rank", "#", "family"));
        columns.forEach(c -> s.append(String.format(Locale.ROOT, " %9s", c.title())));
        s.append(String.format(Locale.ROOT, " %8s  %s%n", "fit s", "hyper-parameters"));
        for (Entry e : entries) {
            if (e.rank() == null) {
                s.append(String.format(Locale.ROOT, "%-4s %-3d %-20s skipped: %s%n", "-", e.candidateIndex(),
                        e.algorithm(), e.reason()));
                continue;
            }
            s.append(String.format(Locale.ROOT, "%-4d %-3d %-20s", e.rank(), e.candidateIndex(), e.algorithm()));
            for (Column c : columns) {
                s.append(String.format(Locale.ROOT, " %9s", f(c.of(e))));
            }
            s.append(String.format(Locale.ROOT, " %8.2f  %s%n", e.fitMillis() == null ? 0.0 : e.fitMillis() / 1000.0,
                    params(e.hyperParameters())));
        }
        return s.toString();
    }

    private static String params(Map<String, String> p) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    private static String f(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static Double number(Map<String, Object> m, String key) {
        return CandidateRecord.number(m, key);
    }
}
