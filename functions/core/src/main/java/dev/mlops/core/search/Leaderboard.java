package dev.mlops.core.search;

import dev.mlops.core.model.task.Classification;
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
 */
public record Leaderboard(String selectionMetric, List<Entry> entries) {

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
     */
    public record Entry(Integer rank, int candidateIndex, String algorithm, Map<String, String> hyperParameters,
                        String status, String reason, Double selectionScore, Double validationAccuracy,
                        Double validationMacroF1, Double validationLogLoss, Double testAccuracy, Double testMacroF1, Long fitMillis,
                        String sha256) {
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
                    r.fitMillis(), r.sha256()));
        }
        return new Leaderboard(metric, List.copyOf(entries));
    }

    /** The selected candidate's entry, if any trained. */
    public java.util.Optional<Entry> selected() {
        return entries.stream().filter(e -> e.rank() != null && e.rank() == 1).findFirst();
    }

    /** A fixed-width table for people. */
    public String table() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-4s %-3s %-20s %9s %9s %9s %9s %9s %8s  %s%n",
                "rank", "#", "family", "val acc", "val f1", "val loss", "test acc", "test f1", "fit s",
                "hyper-parameters"));
        for (Entry e : entries) {
            if (e.rank() == null) {
                s.append(String.format(Locale.ROOT, "%-4s %-3d %-20s skipped: %s%n", "-", e.candidateIndex(),
                        e.algorithm(), e.reason()));
                continue;
            }
            s.append(String.format(Locale.ROOT, "%-4d %-3d %-20s %9s %9s %9s %9s %9s %8.2f  %s%n", e.rank(),
                    e.candidateIndex(), e.algorithm(), f(e.validationAccuracy()), f(e.validationMacroF1()),
                    f(e.validationLogLoss()), f(e.testAccuracy()), f(e.testMacroF1()),
                    e.fitMillis() == null ? 0.0 : e.fitMillis() / 1000.0, params(e.hyperParameters())));
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
